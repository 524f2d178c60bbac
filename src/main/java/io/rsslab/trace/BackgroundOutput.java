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
    /** failed has been thrown to the writer: close does not throw it again (try-with-resources would add it to itself). */
    private boolean reported;
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
                    } catch (Throwable e) {
                        fail(e);
                    }
                }
                done.release();
                if (b == CLOSE) {
                    return;
                }
            } else if (failed == null) {
                try {
                    out.write(b);
                } catch (Throwable e) {
                    fail(e); // the rest is dropped; the writer hears of it at its next call
                }
            }
        }
    }

    /** Any failure of out, unchecked ones too: the thread goes on draining, so no writer waits forever. */
    private void fail(Throwable e) {
        failed = e instanceof IOException io ? io : new IOException("the trace's compression failed: " + e, e);
    }

    private void check() throws IOException {
        IOException e = failed;
        if (e != null) {
            reported = true;
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

    /**
     * Ends the thread once all is written, then closes {@code out}; a write's failure is thrown after that, unless
     * a write or flush already threw it.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // Not interruptible: an interrupted close would leave the thread waiting and out (zstd's native stream)
        // open; the thread never blocks but in out, so this ends. The interrupt is kept for the caller.
        boolean interrupted = false;
        if (thread.isAlive()) {
            while (true) {
                try {
                    queue.put(CLOSE);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            done.acquireUninterruptibly();
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        IOException e = failed;
        try {
            out.close();
        } catch (IOException x) {
            if (e == null) {
                throw x;
            }
            if (!reported) {
                e.addSuppressed(x); // once the writer has its error, this one (the same full disk) adds nothing
            }
        }
        if (e != null && !reported) {
            reported = true;
            throw e;
        }
    }
}
