package io.rsslab.inspect.glibc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What one heap holds, from a walk of its chunk headers: bytes in use and
 * free (free: in glibc's bins; tcache and fastbin chunks are marked in use
 * by glibc and counted so), the resident pages wholly inside free chunks,
 * the top chunk and its resident pages (0 for a heap whose arena's top is
 * in another heap), and what malloc_trim(0) would give back of the free
 * chunks (mtrim) and of the top (systrim, the main arena's only).
 * foreignBytes: in the main heap, what lies between two regions of glibc's
 * (a foreign sbrk), not read as chunks; elsewhere: the main arena went on
 * outside [heap] (sbrk failed, mmap gave it memory), not walked. bins: the
 * free bytes by bin class (fastbin chunks counted free); pins: the live
 * chunks that stand above the largest free runs.
 */
record HeapWalk(long chunks, long inUseBytes, long freeBytes, long freeResidentPages, long topBytes,
        long topResidentPages, long mtrimPages, long systrimPages, long topAddress, long foreignBytes,
        boolean elsewhere, Bins bins, List<Pin> pins) {

    /**
     * Free bytes by where glibc keeps them (malloc.c, 2.36: fastbins up to
     * 160 bytes, the unsorted bin, small bins below MIN_LARGE_SIZE 1024
     * bytes, large bins from there).
     */
    record Bins(long fast, long unsorted, long small, long large) {
        static final Bins NONE = new Bins(0, 0, 0, 0);

        Bins plus(Bins o) {
            // -1: the unsorted bin was not followed (too long), so its bytes are not known.
            return new Bins(fast + o.fast, unsorted < 0 || o.unsorted < 0 ? -1 : unsorted + o.unsorted, small + o.small,
                    large + o.large);
        }
    }

    /** In-use chunks from address, size bytes and chunks of them, above a free run of freePages resident pages. */
    record Pin(long address, long size, long chunks, long freePages) {
    }

    /** Pins kept per walk: the largest by the free pages they hold. */
    static final int PINS = 10;

    static List<Pin> largest(List<Pin> a, List<Pin> b) {
        List<Pin> all = new ArrayList<>(a);
        all.addAll(b);
        all.sort(Comparator.comparingLong(Pin::freePages).reversed().thenComparingLong(Pin::address));
        return List.copyOf(all.subList(0, Math.min(PINS, all.size())));
    }

    HeapWalk plus(HeapWalk o) {
        return new HeapWalk(chunks + o.chunks, inUseBytes + o.inUseBytes, freeBytes + o.freeBytes,
                freeResidentPages + o.freeResidentPages, topBytes + o.topBytes, topResidentPages + o.topResidentPages,
                mtrimPages + o.mtrimPages, systrimPages + o.systrimPages, topAddress != 0 ? topAddress : o.topAddress,
                foreignBytes + o.foreignBytes, elsewhere || o.elsewhere, bins.plus(o.bins), largest(pins, o.pins));
    }

    static final HeapWalk EMPTY = new HeapWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false, Bins.NONE, List.of());
}
