package io.rsslab.trace;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * An OutputStream whose writes are made by a thread of its own, in order: the merge encodes the next records
 * while zstd compresses the ones before, on the second core (the merge of 4 M calls took 0.59 s warm with zstd
 * on the same thread; docs/performance.md, "Issue 29"). zstd itself stays single-threaded, so the file is byte
 * for byte what {@code out} alone would write (zstd's own workers made small traces 21% larger). Each write is
 * copied, at most four wait. An error of {@code out} is thrown by the next write, flush or close; close always
 * ends the thread, so a writer that gives up (try-with-resources) leaves no thread behind.
 */
final class BackgroundOutput extends OutputStream {
    private static final byte[] FLUSH = new byte[0];
    private static final byte[] CLOSE = new byte[0];

    private final OutputStream out;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(4);
    /** Released by the thread once per FLUSH or CLOSE it has carried out. */
    private final Semaphore done = new Semaphore(0);
    private final Thread thread;
    private volatile IOException failed;
    private boolean closed;

    BackgroundOutput(OutputStream out, String name) {
        this.out = out;
        thread = new Thread(this::drain, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain() {
        while (true) {
            byte[] b;
            try {
                b = queue.take();
            } catch (InterruptedException e) {
                failed = new InterruptedIOException("the trace's writer was interrupted");
                done.release(queue.size() + 1);
                return;
            }
            if (b == FLUSH || b == CLOSE) {
                // CLOSE does not flush: out's close ends it (a zstd flush would end a block early).
                if (b == FLUSH && failed == null) {
                    try {
                        out.flush();
                    } catch (IOException e) {
                        failed = e;
                    }
                }
                done.release();
                if (b == CLOSE) {
                    return;
                }
            } else if (failed == null) {
                try {
                    out.write(b);
                } catch (IOException e) {
                    failed = e; // the rest is dropped; the writer hears of it at its next call
                }
            }
        }
    }

    private void check() throws IOException {
        IOException e = failed;
        if (e != null) {
            throw e;
        }
        if (closed) {
            throw new IOException("closed");
        }
    }

    private void put(byte[] b) throws IOException {
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the trace");
        }
    }

    private void await() throws IOException {
        try {
            done.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing the trace");
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        if (len > 0) {
            put(Arrays.copyOfRange(b, off, off + len));
        }
    }

    /** Waits until everything written is in {@code out}, and out flushed. */
    @Override
    public void flush() throws IOException {
        check();
        put(FLUSH);
        await();
        check();
    }

    /** Ends the thread once all is written, then closes {@code out}; a write's failure is thrown after that. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (thread.isAlive()) {
            put(CLOSE);
            await();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing the trace");
            }
        }
        IOException e = failed;
        if (e != null) {
            try {
                out.close();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
        out.close();
    }
}
