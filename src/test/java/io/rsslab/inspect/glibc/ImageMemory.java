package io.rsslab.inspect.glibc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

import io.rsslab.inspect.Memory;

/**
 * A synthetic process image for the walker's tests: pages written by the
 * test, each resident or not. Reading a page that is not resident fails the
 * test, as it would raise a real process's RSS.
 */
final class ImageMemory implements Memory {

    private final Map<Long, ByteBuffer> pages = new HashMap<>();
    private final Map<Long, Boolean> resident = new HashMap<>();
    int reads;

    private ByteBuffer page(long address) {
        return pages.computeIfAbsent(address & ~(PAGE - 1L),
                a -> ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Writes an 8-byte word at address; its page becomes resident. */
    ImageMemory put(long address, long value) {
        page(address).putLong((int) (address & (PAGE - 1)), value);
        resident.put(address & ~(PAGE - 1L), true);
        return this;
    }

    /** A chunk header at p: its size field (size | flags). */
    ImageMemory chunk(long p, long sizeAndFlags) {
        return put(p + 8, sizeAndFlags);
    }

    /** Marks the pages of [from, to) resident (true) or not. */
    ImageMemory resident(long from, long to, boolean yes) {
        for (long a = from & ~(PAGE - 1L); a < to; a += PAGE) {
            resident.put(a, yes);
            page(a);
        }
        return this;
    }

    @Override
    public BitSet resident(long start, long end) {
        BitSet b = new BitSet();
        for (long a = start; a < end; a += PAGE) {
            if (resident.getOrDefault(a, false)) {
                b.set((int) ((a - start) / PAGE));
            }
        }
        return b;
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) throws IOException {
        reads++;
        for (int i = 0; i < length; i++) {
            long a = address + i;
            if (!resident.getOrDefault(a & ~(PAGE - 1L), false)) {
                throw new AssertionError("read a page that is not resident: 0x" + Long.toHexString(a));
            }
            dst[offset + i] = page(a).get((int) (a & (PAGE - 1)));
        }
    }
}
