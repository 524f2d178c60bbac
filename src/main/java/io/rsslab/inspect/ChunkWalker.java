package io.rsslab.inspect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;

/**
 * Walks a heap's chunks by their headers, as glibc lays them out on x86-64
 * (malloc/malloc.c, 2.27 to 2.40: SIZE_SZ 8, MALLOC_ALIGNMENT 16, MINSIZE
 * 32): from the first chunk, each size field (the header's second word;
 * flag bits PREV_INUSE 1, IS_MMAPPED 2, NON_MAIN_ARENA 4) gives the next
 * chunk; a chunk is free when the next one's PREV_INUSE is clear. The walk
 * must close exactly: at the heap's end with the top chunk, or, in a thread
 * heap the arena has moved on from, with sysmalloc's two fenceposts (sizes
 * 16 and 0). Anything else means the layout is not what is modelled, or the
 * process changed the heap while it was read.
 *
 * Only chunk headers are read, in windows of resident pages: a header on a
 * page that is not resident stops the walk (reading it would fault it in).
 *
 * What malloc_trim(0) returns is modelled on glibc 2.36's mtrim()
 * (malloc/malloc.c lines 5037-5091: for every binned free chunk larger than
 * a page plus sizeof(struct malloc_chunk), madvise(MADV_DONTNEED) of the
 * whole pages from ALIGN_UP(p + 48) to the chunk's end) and systrim()
 * (lines 2971-3034: the main arena's top, chunksize(top) - MINSIZE - 1
 * rounded down to pages, is given back with sbrk); the fenceposts are
 * sysmalloc's (lines 2645-2662). The same code is in glibc 2.26 to 2.40.
 * A thread heap's top is given back only by heap_trim() from free()
 * (malloc/arena.c lines 642-710), and only above the trim threshold.
 */
final class ChunkWalker {

    static final long PAGE = Memory.PAGE;
    static final long ALIGN = 16;
    static final long MINSIZE = 32;
    static final long CHUNK_HDR = 16;
    /** sizeof (struct malloc_chunk) on 64-bit: prev_size, size, fd, bk, fd_nextsize, bk_nextsize. */
    static final long MALLOC_CHUNK = 48;
    static final long PREV_INUSE = 1;
    static final long SIZE_BITS = 7;
    private static final int WINDOW = 64 * 1024;

    /** How a heap ends: with the arena's top chunk, or with fenceposts (a thread heap left behind). */
    enum End { TOP, FENCEPOST }

    private final Memory memory;
    private final long pageBase;
    private final BitSet resident;
    private final byte[] window = new byte[WINDOW];
    private final ByteBuffer view = ByteBuffer.wrap(window).order(ByteOrder.LITTLE_ENDIAN);
    private long windowStart = -1;
    private long windowEnd = -1;
    /** Small chunks: the next headers are near, read several pages at once; large ones: only the header's page. */
    private boolean dense;

    /** resident: the resident pages from pageBase (page-aligned) on, covering the heap. */
    ChunkWalker(Memory memory, long pageBase, BitSet resident) {
        this.memory = memory;
        this.pageBase = pageBase;
        this.resident = resident;
    }

    /**
     * Walks the chunks from first to end. main: the main arena (its top is
     * what systrim shrinks).
     */
    HeapWalk walk(long first, long end, End how, boolean main) throws IOException, LayoutException {
        if ((first & (ALIGN - 1)) != 0) {
            throw new LayoutException("the first chunk 0x" + Long.toHexString(first) + " is not 16-byte aligned");
        }
        long chunks = 0;
        long inUse = 0;
        long free = 0;
        long freeResident = 0;
        long mtrim = 0;
        long p = first;
        long size = chunkSize(p);
        while (true) {
            dense = size < PAGE;
            if (size < MINSIZE && !(how == End.FENCEPOST && size == CHUNK_HDR)) {
                throw bad(p, "a chunk of " + size + " bytes");
            }
            long next = p + size;
            if (next == end && how == End.TOP) {
                long topResident = residentPagesWithin(p, end);
                long systrim = main ? systrimPages(p, size) : 0;
                return new HeapWalk(chunks + 1, inUse, free, freeResident, size, topResident, mtrim, systrim, p);
            }
            if (next + CHUNK_HDR > end) {
                throw bad(p, "a chunk of " + size + " bytes that runs past the heap's end");
            }
            long nextField = sizeField(next);
            long nextSize = nextField & ~SIZE_BITS;
            if (how == End.FENCEPOST && size == CHUNK_HDR && nextSize == 0) {
                // sysmalloc's fenceposts: this 16-byte chunk, then a header of size 0. The heap ends here.
                return new HeapWalk(chunks + 2, inUse + CHUNK_HDR, free, freeResident, 0, 0, mtrim, 0, 0);
            }
            chunks++;
            if ((nextField & PREV_INUSE) == 0) {
                free += size;
                freeResident += residentPagesWithin(p, next);
                mtrim += mtrimPages(p, size);
            } else {
                inUse += size;
            }
            p = next;
            size = nextSize;
        }
    }

    /** Pages mtrim() would madvise away in a free chunk at p of size bytes that are resident now. */
    long mtrimPages(long p, long size) {
        if (size <= PAGE - 1 + MALLOC_CHUNK) {
            return 0;
        }
        long from = (p + MALLOC_CHUNK + PAGE - 1) & ~(PAGE - 1);
        long length = (size - (from - p)) & ~(PAGE - 1);
        return length <= 0 ? 0 : residentPages(from, from + length);
    }

    /** Pages systrim(0) would give back of the main arena's top at p of size bytes that are resident now. */
    long systrimPages(long p, long size) {
        long topArea = size - MINSIZE - 1;
        if (topArea <= 0) {
            return 0;
        }
        long extra = topArea & ~(PAGE - 1);
        return extra == 0 ? 0 : residentPages(p + size - extra, p + size);
    }

    /** Resident pages lying wholly inside [from, to). */
    long residentPagesWithin(long from, long to) {
        long first = (from + PAGE - 1) & ~(PAGE - 1);
        long last = to & ~(PAGE - 1);
        return last <= first ? 0 : residentPages(first, last);
    }

    /** Resident pages of [from, to), both page-aligned. */
    private long residentPages(long from, long to) {
        int a = (int) ((from - pageBase) / PAGE);
        int b = (int) ((to - pageBase) / PAGE);
        long n = 0;
        for (int i = resident.nextSetBit(a); i >= 0 && i < b; i = resident.nextSetBit(i + 1)) {
            n++;
        }
        return n;
    }

    private long chunkSize(long p) throws IOException, LayoutException {
        return sizeField(p) & ~SIZE_BITS;
    }

    /** The size field of the chunk at p (its header's second word), read through the window. */
    long sizeField(long p) throws IOException, LayoutException {
        long at = p + 8;
        if (at < windowStart || at + 8 > windowEnd) {
            fill(at);
        }
        return view.getLong((int) (at - windowStart));
    }

    /** Reads a window of resident pages from at's page on. */
    private void fill(long at) throws IOException, LayoutException {
        long page = at & ~(PAGE - 1);
        int index = (int) ((page - pageBase) / PAGE);
        if (index < 0 || !resident.get(index)) {
            throw new LayoutException("the chunk header at 0x" + Long.toHexString(at - 8)
                    + " is on a page that is not resident (swapped out, or not a chunk): it is not read");
        }
        int pages = 1;
        while (dense && pages < WINDOW / PAGE && resident.get(index + pages)) {
            pages++;
        }
        long length = (long) pages * PAGE;
        if (at + 8 > page + length) {
            throw new LayoutException("a chunk header crosses into a page that is not resident");
        }
        memory.read(page, window, 0, (int) length);
        windowStart = page;
        windowEnd = page + length;
    }

    private static LayoutException bad(long p, String what) {
        return new LayoutException("at 0x" + Long.toHexString(p) + " the walk found " + what
                + ", not a glibc chunk (the heap changed while it was read, or its layout is not glibc's)");
    }
}
