package io.rsslab.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.github.luben.zstd.ZstdOutputStream;

/** The merge's compressing thread: the same bytes as without it, errors heard, no thread left behind. */
class BackgroundOutputTest {

    static long threads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive())
                .count();
    }

    /** A zstd stream written through the thread is byte for byte the one written directly. */
    @Test
    void zstdThroughTheThreadWritesTheSameBytes() throws IOException {
        Random r = new Random(29);
        byte[] data = new byte[(3 << 20) + 12_345]; // not a whole number of zstd blocks: a flush would show
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (r.nextInt(7) * (i % 13)); // compressible, not trivially
        }
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        ByteArrayOutputStream through = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(direct, 3)) {
            z.setChecksum(true);
            z.setWindowLog(17);
            write(z, data, new Random(1));
        }
        ZstdOutputStream z = new ZstdOutputStream(through, 3);
        z.setChecksum(true);
        z.setWindowLog(17);
        try (BackgroundOutput b = new BackgroundOutput(z, "test-same-bytes")) {
            write(b, data, new Random(1));
        }
        assertArrayEquals(direct.toByteArray(), through.toByteArray());
        assertEquals(0, threads("test-same-bytes"));
    }

    /** The data in pieces of 0 to 200,000 bytes, the caller's buffer changed after each write. */
    static void write(OutputStream o, byte[] data, Random r) throws IOException {
        byte[] piece = new byte[200_000];
        for (int at = 0; at < data.length;) {
            int n = Math.min(r.nextInt(piece.length), data.length - at);
            System.arraycopy(data, at, piece, 0, n);
            o.write(piece, 0, n);
            java.util.Arrays.fill(piece, (byte) 0x55);
            at += n;
        }
    }

    @Test
    void flushWaitsForEverythingWritten() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (BackgroundOutput b = new BackgroundOutput(sink, "test-flush")) {
            for (int i = 0; i < 1000; i++) {
                b.write(new byte[] {(byte) i, 1, 2}, 0, 3);
            }
            b.flush();
            assertEquals(3000, sink.size());
        }
    }

    /** A stream that takes 10,000 bytes, then fails as a full disk does; close marks it closed. */
    static final class Full extends OutputStream {
        int written;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            written += len;
            if (written > 10_000) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public void close() throws IOException {
            closed = true;
            throw new IOException("No space left on device (closing)");
        }
    }

    /**
     * A disk that fills, written as TraceFile writes (try-with-resources): the writer gets the error itself, once,
     * not an IllegalArgumentException ("Self-suppression not permitted": close throwing the same exception again,
     * which record printed as an internal error on a full disk); the stream under it is closed and the thread ends.
     */
    @Test
    void anErrorOfTheStreamReachesTheWriterOnceAndTheThreadEnds() {
        Full full = new Full();
        IOException e = assertThrows(IOException.class, () -> {
            try (BackgroundOutput b = new BackgroundOutput(full, "test-error")) {
                for (int i = 0; i < 100_000; i++) {
                    b.write(new byte[100], 0, 100);
                }
                b.flush();
            }
        });
        assertEquals("No space left on device", e.getMessage());
        assertEquals(0, e.getSuppressed().length, "the close's own error adds nothing to it");
        assertTrue(full.closed, "the stream under it closed all the same");
        assertEquals(0, threads("test-error"));
    }

    /** A failure that no write or flush has reported yet is thrown by close, with close's own error beside it. */
    @Test
    void closeThrowsAFailureNotYetReported() throws IOException {
        Full full = new Full();
        BackgroundOutput b = new BackgroundOutput(full, "test-close-error");
        b.write(new byte[20_000], 0, 20_000); // fails in the thread, after this call returned
        IOException e = assertThrows(IOException.class, b::close);
        assertEquals("No space left on device", e.getMessage());
        assertEquals("No space left on device (closing)", e.getSuppressed()[0].getMessage());
        assertEquals(0, threads("test-close-error"));
        b.close(); // a second close does nothing
    }

    /** An unchecked failure of the stream (a bug in it) reaches the writer as an IOException: flush never hangs. */
    @Test
    void anUncheckedFailureIsHeardAndNothingHangs() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) {
                throw new IllegalStateException("broken");
            }

            @Override
            public void write(byte[] b, int off, int len) {
                throw new IllegalStateException("broken");
            }
        };
        IOException e = assertThrows(IOException.class, () -> {
            try (BackgroundOutput b = new BackgroundOutput(broken, "test-unchecked")) {
                for (int i = 0; i < 100; i++) {
                    b.write(new byte[100], 0, 100);
                }
                b.flush();
            }
        });
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertEquals(0, threads("test-unchecked"));
    }

    /** close on an interrupted thread still ends the compressing thread and closes the stream; the interrupt stays. */
    @Test
    void anInterruptedCloseStillEndsTheThread() throws IOException {
        boolean[] closed = {false};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        BackgroundOutput b = new BackgroundOutput(sink, "test-interrupted");
        b.write(new byte[10], 0, 10);
        Thread.currentThread().interrupt();
        try {
            b.close();
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept");
        } finally {
            Thread.interrupted();
        }
        assertTrue(closed[0], "the stream under it closed");
        assertEquals(0, threads("test-interrupted"));
    }

    /** A writer that gives up half way (try-with-resources on an exception of its own) leaves no thread. */
    @Test
    void aWriterThatGivesUpLeavesNoThread() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThrows(IllegalStateException.class, () -> {
            try (BackgroundOutput b = new BackgroundOutput(sink, "test-give-up")) {
                b.write(new byte[10], 0, 10);
                throw new IllegalStateException("a damaged raw file");
            }
        });
        assertEquals(0, threads("test-give-up"));
        assertEquals(10, sink.size());
    }
}
