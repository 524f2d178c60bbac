package io.rsslab.inspect;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * A live process's memory, read only: /proc/PID/pagemap for which pages are
 * resident (bit 63 present; a swapped page, bit 62, is not resident and is
 * never read), /proc/PID/mem with pread for the bytes. Neither is ever
 * opened for writing.
 */
public final class ProcMemory implements Memory, Closeable {

    private static final long PRESENT = 1L << 63;

    private final FileChannel mem;
    private final FileChannel pagemap;

    ProcMemory(long pid) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        this.mem = FileChannel.open(proc.resolve("mem"), StandardOpenOption.READ);
        this.pagemap = FileChannel.open(proc.resolve("pagemap"), StandardOpenOption.READ);
    }

    @Override
    public BitSet resident(long start, long end) throws IOException {
        int pages = (int) ((end - start) / PAGE);
        BitSet bits = new BitSet(pages);
        ByteBuffer buf = ByteBuffer.allocate(8 * 8192).order(ByteOrder.nativeOrder());
        for (int first = 0; first < pages; first += 8192) {
            int n = Math.min(8192, pages - first);
            buf.clear().limit(n * 8);
            long at = (start / PAGE + first) * 8;
            while (buf.hasRemaining()) {
                int r = pagemap.read(buf, at + buf.position());
                if (r <= 0) {
                    throw new IOException("pagemap ended early at " + Long.toHexString(start + (long) first * PAGE));
                }
            }
            for (int i = 0; i < n; i++) {
                if ((buf.getLong(i * 8) & PRESENT) != 0) {
                    bits.set(first + i);
                }
            }
        }
        return bits;
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(dst, offset, length);
        while (b.hasRemaining()) {
            int r = mem.read(b, address + (b.position() - offset));
            if (r <= 0) {
                throw new IOException("cannot read the target's memory at 0x" + Long.toHexString(address));
            }
        }
    }

    @Override
    public void close() throws IOException {
        try (mem; pagemap) {
            // Both closed.
        }
    }
}
