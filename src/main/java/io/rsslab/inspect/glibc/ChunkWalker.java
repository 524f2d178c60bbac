package io.rsslab.inspect.glibc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.List;
import java.util.Set;

import io.rsslab.inspect.Memory;

/**
 * Walks a heap's chunks by their headers, as glibc lays them out on x86-64
 * (malloc/malloc.c, 2.27 to 2.40: SIZE_SZ 8, MALLOC_ALIGNMENT 16, MINSIZE
 * 32): from the first chunk, each size field (the header's second word;
 * flag bits PREV_INUSE 1, IS_MMAPPED 2, NON_MAIN_ARENA 4) gives the next
 * chunk; a chunk is free when the next one's PREV_INUSE is clear. The walk
 * must close exactly, in one of the ends glibc writes (see segment()).
 * Anything else means the layout is not what is modelled, or the process
 * changed the heap while it was read (only two walks can tell which).
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
 * sysmalloc's (lines 2645-2662, 2894-2930). The same code is in glibc 2.26 to 2.40.
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

    /**
     * The chunks in the arena's fastbins: marked in use, but malloc_trim's
     * mtrim first calls malloc_consolidate (malloc.c, 2.36 line 5038), which
     * merges each with its free neighbours (and the top), so the pages it
     * then madvises are those of the merged chunks.
     */
    private Set<Long> fastbins = Set.of();

    ChunkWalker fastbins(Set<Long> chunks) {
        this.fastbins = chunks;
        return this;
    }

    /**
     * The chunks in the arena's unsorted bin (bin 1): free, and not yet
     * sorted into a small or large bin; null: not known (each free chunk is
     * classed by its size, and the unsorted bytes are -1).
     */
    private Set<Long> unsorted = Set.of();

    ChunkWalker unsorted(Set<Long> chunks) {
        this.unsorted = chunks;
        return this;
    }

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
        HeapWalk total = HeapWalk.EMPTY;
        long from = first;
        while (true) {
            Segment s = segment(from, end, how, main);
            total = total.plus(s.walk());
            if (s.gapAt() < 0) {
                return total;
            }
            if (s.gapAt() == end) {
                // The double fencepost ends [heap]: the main arena went on in memory sbrk did not give (sysmalloc's
                // mmap fallback, MORECORE failing); that memory is counted as anonymous, not walked.
                return total.plus(new HeapWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, true, HeapWalk.Bins.NONE, List.of()));
            }
            long next = nextRegion(s.gapAt(), end);
            total = total.plus(new HeapWalk(0, 0, 0, 0, 0, 0, 0, 0, 0, next - s.gapAt(), false, HeapWalk.Bins.NONE,
                    List.of()));
            from = next;
        }
    }

    /** One contiguous stretch of chunks; gapAt: where a double fencepost left the heap's memory (-1: it closed). */
    private record Segment(HeapWalk walk, long gapAt) {
    }

    /**
     * The chunks from first on, until the heap's end closes them. The ends
     * glibc 2.27-2.40 writes (malloc.c, sysmalloc; 2.36: lines 2645-2662 and
     * 2894-2930; arena.c heap_trim, 2.36 lines 650-662, reads them back):
     * - TOP: the top chunk reaches the heap's end exactly.
     * - FENCEPOST (a thread heap its arena left for a new one): the old top
     *   became, with S its size, (S - MINSIZE) & ~15 = n bytes: n >= MINSIZE,
     *   a free chunk of n, a 16-byte chunk and a header of size 0; else one
     *   chunk of n + 16 (16 or 32 bytes) and the header of size 0. The header
     *   of size 0 is always the heap's last 16 bytes.
     * - In the main heap, a foreign sbrk (or sbrk failing, so that mmap gives
     *   the arena its next memory) makes sysmalloc end the old top with two
     *   16-byte fenceposts; what follows them is not glibc's until the next
     *   region it got from sbrk.
     */
    private Segment segment(long first, long end, End how, boolean main) throws IOException, LayoutException {
        long chunks = 0;
        long inUse = 0;
        long free = 0;
        long freeResident = 0;
        long mtrim = 0;
        long p = first;
        long before = -1;
        // A run of chunks free after malloc_consolidate (binned, or in a fastbin): mtrim sees it as one chunk.
        long run = -1;
        long size = chunkSize(p);
        Pins pins = new Pins();
        while (true) {
            dense = size < PAGE;
            if (size < MINSIZE && size != CHUNK_HDR) {
                throw bad(p, before, "a chunk of " + size + " bytes");
            }
            long next = p + size;
            if (next == end && how == End.TOP && size >= MINSIZE) {
                long topResident = residentPagesWithin(p, end);
                // malloc_consolidate merges a free run ending at the top into it: systrim sees the larger top.
                long systrim = main ? systrimPages(run >= 0 ? run : p, end - (run >= 0 ? run : p)) : 0;
                pins.close();
                return new Segment(new HeapWalk(chunks + 1, inUse, free, freeResident, size, topResident, mtrim,
                        systrim, p, 0, false, pins.bins(), pins.found), -1);
            }
            if (next + CHUNK_HDR > end) {
                throw bad(p, before, "a chunk of " + size + " bytes that runs past the heap's end 0x"
                        + Long.toHexString(end));
            }
            long nextField = sizeField(next);
            long nextSize = nextField & ~SIZE_BITS;
            if (run >= 0 && (size == CHUNK_HDR || how == End.FENCEPOST && nextSize == 0)) {
                // A fencepost is in use: the run of free chunks before it ends here.
                mtrim += mtrimPages(run, p - run);
                run = -1;
            }
            if (how == End.FENCEPOST && nextSize == 0 && next == end - CHUNK_HDR && size < 2 * MINSIZE) {
                // The fencepost chunk (16 or 32 bytes, marked in use), then the header of size 0: the heap ends.
                pins.close();
                return new Segment(new HeapWalk(chunks + 2, inUse + size, free, freeResident, 0, 0, mtrim, 0, 0, 0,
                        false, pins.bins(), pins.found), -1);
            }
            if (main && size == CHUNK_HDR && nextSize == CHUNK_HDR && (nextField & PREV_INUSE) != 0) {
                // The double fencepost: glibc's memory stops after these two 16-byte chunks.
                pins.close();
                return new Segment(new HeapWalk(chunks + 2, inUse + 2 * CHUNK_HDR, free, freeResident, 0, 0, mtrim, 0,
                        0, 0, false, pins.bins(), pins.found), next + CHUNK_HDR);
            }
            if (size == CHUNK_HDR) {
                throw bad(p, before, "a chunk of 16 bytes that is not a fencepost (followed by one of " + nextSize
                        + " bytes)");
            }
            chunks++;
            boolean binned = (nextField & PREV_INUSE) == 0;
            // (empty sets asked first: a lookup boxes the address, once per chunk of a million)
            boolean fast = !binned && !fastbins.isEmpty() && fastbins.contains(p);
            if (binned || fast) {
                // A fastbin's chunk is free, though glibc marks it in use: malloc_consolidate frees it.
                long pages = residentPagesWithin(p, next);
                free += size;
                freeResident += pages;
                pins.free(p, size, pages, fast);
            } else {
                inUse += size;
                pins.live(p, size);
            }
            if (binned || fast) {
                run = run < 0 ? p : run;
            } else if (run >= 0) {
                mtrim += mtrimPages(run, p - run);
                run = -1;
            }
            before = p;
            p = next;
            size = nextSize;
        }
    }

    /**
     * The free bytes of one segment by bin class, and its pins: each group of
     * in-use chunks right above a free run holds that run's resident pages
     * (glibc 2.36: free() gives back only a heap's top, in systrim and
     * heap_trim, and a free run reaches the top only when every chunk above
     * it is freed; the group right above it is the nearest of those).
     */
    private final class Pins {
        long fast;
        long unsorted;
        long small;
        long large;
        long runPages;
        long liveStart = -1;
        long liveBytes;
        long liveChunks;
        List<HeapWalk.Pin> found = List.of();

        void free(long p, long size, long pages, boolean fastbin) {
            if (fastbin) {
                fast += size;
            } else if (ChunkWalker.this.unsorted != null && !ChunkWalker.this.unsorted.isEmpty()
                    && ChunkWalker.this.unsorted.contains(p)) {
                unsorted += size;
            } else if (size < MIN_LARGE_SIZE) {
                small += size;
            } else {
                large += size;
            }
            close();
            runPages += pages;
        }

        void live(long p, long size) {
            if (liveStart < 0) {
                liveStart = p;
            }
            liveBytes += size;
            liveChunks++;
        }

        /** A live group ends (a free run follows, or the heap's end): it pins the run below it. */
        void close() {
            if (liveStart >= 0) {
                if (runPages > 0 && (found.size() < HeapWalk.PINS || runPages > found.get(found.size() - 1)
                        .freePages())) {
                    found = HeapWalk.largest(found, List.of(new HeapWalk.Pin(liveStart, liveBytes, liveChunks,
                            runPages)));
                }
                runPages = 0;
                liveStart = -1;
                liveBytes = 0;
                liveChunks = 0;
            }
        }

        HeapWalk.Bins bins() {
            return new HeapWalk.Bins(fast, ChunkWalker.this.unsorted == null ? -1 : unsorted, small, large);
        }
    }

    /** MIN_LARGE_SIZE on 64-bit: NSMALLBINS 64 x SMALLBIN_WIDTH 16 (malloc.c, 2.36). */
    static final long MIN_LARGE_SIZE = 1024;

    /** Candidates scanned for the next region after a foreign gap: 64 MiB of 16-byte steps. */
    private static final long GAP_SCAN = 64L << 20;

    /**
     * Where glibc's next region starts after a double fencepost at gap: the
     * first 16-aligned address from which the chunks close at the heap's end
     * with the top (sysmalloc makes the new region's first chunk the top, its
     * PREV_INUSE set; later chunks are split from it). The bytes between are
     * someone else's (a foreign sbrk) and are not read as chunks.
     */
    private long nextRegion(long gap, long end) throws IOException, LayoutException {
        for (long c = gap; c < end - MINSIZE && c < gap + GAP_SCAN; c += ALIGN) {
            try {
                long field = sizeField(c);
                if ((field & PREV_INUSE) == 0 || (field & (SIZE_BITS - 1)) != 0 || (field & ~SIZE_BITS) < MINSIZE) {
                    continue;
                }
                segment(c, end, End.TOP, true);
                return c;
            } catch (LayoutException e) {
                // Not a chain that closes from here: the next candidate (a page that is not resident is skipped whole).
                if (!resident.get((int) ((c - pageBase) / PAGE))) {
                    c = ((c + PAGE) & ~(PAGE - 1)) - ALIGN;
                }
            }
        }
        throw new LayoutException("after the main heap's double fencepost at 0x" + Long.toHexString(gap - 2 * CHUNK_HDR)
                + " (a foreign sbrk) no chain of chunks starting within " + (GAP_SCAN >> 20)
                + " MiB closes at the heap's end 0x" + Long.toHexString(end));
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

    /** What the walk found and where (and the chunk before it); whether the heap changed is the caller's to say. */
    private static LayoutException bad(long p, long before, String what) {
        return new LayoutException("at 0x" + Long.toHexString(p) + " the walk found " + what
                + (before < 0 ? " (the heap's first chunk)" : " (after a chunk at 0x" + Long.toHexString(before) + ")"));
    }
}
