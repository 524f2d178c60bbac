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

    /** A disk that fills: the failure reaches the writer by a later call, and close still ends the thread. */
    @Test
    void anErrorOfTheStreamReachesTheWriterAndTheThreadEnds() throws Exception {
        boolean[] closed = {false};
        OutputStream full = new OutputStream() {
            int written;

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
            public void close() {
                closed[0] = true;
            }
        };
        BackgroundOutput b = new BackgroundOutput(full, "test-error");
        IOException e = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 100_000; i++) {
                b.write(new byte[100], 0, 100);
            }
            b.flush();
        });
        assertEquals("No space left on device", e.getMessage());
        IOException again = assertThrows(IOException.class, b::close);
        assertEquals("No space left on device", again.getMessage());
        assertTrue(closed[0], "the stream under it closed all the same");
        assertEquals(0, threads("test-error"));
        b.close(); // a second close does nothing
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
