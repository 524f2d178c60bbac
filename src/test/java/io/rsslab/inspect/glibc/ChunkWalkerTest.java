package io.rsslab.inspect.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.inspect.Mapping;
import io.rsslab.inspect.Memory;

/** The chunk walk on synthetic heap images: what it counts, what mtrim and systrim would return, what it refuses. */
class ChunkWalkerTest {

    static final long HEAP = 0x5555_0000_0000L;
    static final long KB = 1024;
    static final long P = Memory.PAGE;

    /**
     * A main heap of 64 pages: an in-use chunk (4 KiB), a free one (40 KiB,
     * 10 pages; the next chunk's PREV_INUSE clear), an in-use one (4 KiB),
     * then the top (the rest, 14 of its pages resident).
     */
    static ImageMemory mainHeap() {
        ImageMemory m = new ImageMemory().resident(HEAP, HEAP + 64 * P, false);
        m.resident(HEAP, HEAP + 16 * P, true);
        m.chunk(HEAP, 4 * KB | 1);
        m.chunk(HEAP + 4 * KB, 40 * KB | 1);
        m.chunk(HEAP + 44 * KB, 4 * KB);
        m.chunk(HEAP + 48 * KB, (64 * P - 48 * KB) | 1);
        return m;
    }

    @Test
    void countsInUseFreeAndTopAndWhatTrimReturns() throws Exception {
        ImageMemory m = mainHeap();
        HeapWalk w = new ChunkWalker(m, HEAP, m.resident(HEAP, HEAP + 64 * P))
                .walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, true);
        assertEquals(4, w.chunks());
        assertEquals(8 * KB, w.inUseBytes());
        assertEquals(40 * KB, w.freeBytes());
        assertEquals(64 * P - 48 * KB, w.topBytes());
        // Pages 2..10 lie wholly inside the free chunk [4 KiB, 44 KiB): 10 pages, all resident.
        assertEquals(10, w.freeResidentPages());
        // mtrim keeps the chunk's first 48 bytes: from ALIGN_UP(p + 48) = 8 KiB to 44 KiB, 9 pages.
        assertEquals(9, w.mtrimPages());
        // The top [48 KiB, 256 KiB): pages 12..15 resident.
        assertEquals(4, w.topResidentPages());
        // systrim gives back the top less MINSIZE + 1 bytes, rounded down to pages: its last 51 pages (13..63),
        // of which 13, 14 and 15 are resident; page 12, with the top's header, stays.
        assertEquals(3, w.systrimPages());
    }

    @Test
    void systrimGivesBackTheTopBarOnePage() throws Exception {
        ImageMemory m = mainHeap().resident(HEAP, HEAP + 64 * P, true);
        HeapWalk w = new ChunkWalker(m, HEAP, m.resident(HEAP, HEAP + 64 * P))
                .walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, true);
        assertEquals(64 - 12 - 1, w.systrimPages(), "all of the top's pages but the one holding its header");
        assertEquals(0, new ChunkWalker(m, HEAP, m.resident(HEAP, HEAP + 64 * P))
                .walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, false).systrimPages(), "a thread arena's top stays");
    }

    @Test
    void aChainThatDoesNotCloseIsRefused() {
        ImageMemory m = mainHeap().chunk(HEAP + 4 * KB, 0x1234567 | 1);
        LayoutException e = assertThrows(LayoutException.class, () -> new ChunkWalker(m, HEAP,
                m.resident(HEAP, HEAP + 64 * P)).walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, true));
        assertTrue(e.getMessage().contains("runs past the heap's end"), e.getMessage());
        ImageMemory tiny = mainHeap().chunk(HEAP + 4 * KB, 8 | 1);
        LayoutException t = assertThrows(LayoutException.class, () -> new ChunkWalker(tiny, HEAP,
                tiny.resident(HEAP, HEAP + 64 * P)).walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, true));
        assertTrue(t.getMessage().contains("a chunk of 8 bytes"), t.getMessage());
    }

    @Test
    void aHeaderOnAPageThatIsNotResidentIsNeverRead() {
        // The third chunk's header, at 44 KiB, on a page that is not resident.
        ImageMemory m = mainHeap().resident(HEAP + 44 * KB, HEAP + 48 * KB, false);
        LayoutException e = assertThrows(LayoutException.class, () -> new ChunkWalker(m, HEAP,
                m.resident(HEAP, HEAP + 64 * P)).walk(HEAP, HEAP + 64 * P, ChunkWalker.End.TOP, true));
        assertTrue(e.getMessage().contains("not resident"), e.getMessage());
    }

    /** A thread heap at a 64 MiB boundary with heap_info of the given size, its arena's struct, and chunks. */
    static ImageMemory threadHeap(long heapInfoSize) {
        long x = 0x7f00_0000_0000L;
        long size = 64 * P;
        long arena = x + heapInfoSize;
        long first = (arena + GlibcLayout.MALLOC_STATE_SIZE + 15) & ~15L;
        ImageMemory m = new ImageMemory().resident(x, x + size, true);
        m.put(x, arena).put(x + 8, 0).put(x + 16, size).put(x + 24, size);
        if (heapInfoSize == 48) {
            m.put(x + 32, P);
        }
        long top = first + 8 * KB;
        m.put(arena + GlibcLayout.TOP, top);
        m.chunk(first, 8 * KB | 1 | 4);
        m.chunk(top, (x + size - top) | 1 | 4);
        return m;
    }

    static final Mapping THREAD_MAPPING = new Mapping(0x7f00_0000_0000L, 0x7f00_0000_0000L + 64 * P, "rw-p", 0, "",
            256);

    @Test
    void heapInfoOf235AndLaterIs48BytesAndOfEarlierOnes32() throws Exception {
        for (long size : List.of(32L, 48L)) {
            GlibcLayout layout = GlibcLayout.of(2, size == 48 ? 36 : 34);
            Snapshot s = Snapshot.take(threadHeap(size), layout, List.of(THREAD_MAPPING));
            assertEquals(1, s.arenas.size(), "glibc " + layout.version());
            HeapWalk w = s.arenas.get(0).walk();
            assertEquals(2, w.chunks());
            assertEquals(8 * KB, w.inUseBytes());
        }
    }

    @Test
    void aHeapReadWithTheWrongVersionsLayoutIsNotTakenForOne() {
        // A 2.36 heap (48-byte heap_info) read as 2.34: its ar_ptr is not where 2.34 puts it, and no arena is found.
        assertThrows(LayoutException.class, () -> {
            Snapshot s = Snapshot.take(threadHeap(48), GlibcLayout.of(2, 34), List.of(THREAD_MAPPING));
            if (s.arenas.isEmpty()) {
                throw new LayoutException("no arena");
            }
        });
    }

    @Test
    void aHeapLeftBehindEndsWithFenceposts() throws Exception {
        long x = 0x7f00_0000_0000L;
        ImageMemory m = new ImageMemory().resident(x, x + 16 * P, true);
        long first = x + 48;
        // A free chunk (the old top, freed by sysmalloc), then fenceposts of 16 and 0 bytes, the 0 the heap's last
        // 16 bytes (sysmalloc: old_size = (old_size - MINSIZE) & ~15, the header of 0 at old_size + 16).
        long freeSize = 16 * P - 48 - 32;
        m.chunk(first, freeSize | 1 | 4);
        m.chunk(first + freeSize, 16 | 4);
        m.chunk(first + freeSize + 16, 0 | 1);
        HeapWalk w = new ChunkWalker(m, x, m.resident(x, x + 16 * P)).walk(first, x + 16 * P,
                ChunkWalker.End.FENCEPOST, false);
        assertEquals(freeSize, w.freeBytes());
        assertEquals(0, w.topBytes());
    }

    /** A heap left behind whose old top was 48 or 32 bytes: one fencepost of 32 or 16 bytes, then the header of 0. */
    @Test
    void aHeapLeftBehindWithASmallOldTopEndsInOneFencepost() throws Exception {
        long x = 0x7f00_0000_0000L;
        for (long fence : new long[] {32, 16}) {
            ImageMemory m = new ImageMemory().resident(x, x + 16 * P, true);
            long first = x + 48;
            long used = 16 * P - 48 - fence - 16;
            m.chunk(first, used | 1 | 4);
            m.chunk(first + used, fence | 1);
            m.chunk(first + used + fence, 0 | 1);
            HeapWalk w = new ChunkWalker(m, x, m.resident(x, x + 16 * P)).walk(first, x + 16 * P,
                    ChunkWalker.End.FENCEPOST, false);
            assertEquals(3, w.chunks(), "the chunk, the fencepost and the header of size 0");
            assertEquals(used + fence, w.inUseBytes());
            assertEquals(0, w.freeBytes());
        }
    }

    /** A header of size 0 anywhere but the heap's last 16 bytes is not a fencepost. */
    @Test
    void aZeroSizeHeaderInsideTheHeapIsRefusedAndTheRefusalSaysWhere() {
        long x = 0x7f00_0000_0000L;
        ImageMemory m = new ImageMemory().resident(x, x + 16 * P, true);
        m.chunk(x + 48, 4 * KB | 1);
        m.chunk(x + 48 + 4 * KB, 32 | 1);
        m.chunk(x + 48 + 4 * KB + 32, 0 | 1);
        LayoutException e = assertThrows(LayoutException.class, () -> new ChunkWalker(m, x,
                m.resident(x, x + 16 * P)).walk(x + 48, x + 16 * P, ChunkWalker.End.FENCEPOST, false));
        assertTrue(e.getMessage().contains("at 0x" + Long.toHexString(x + 48 + 4 * KB + 32) + " the walk found a chunk "
                + "of 0 bytes (after a chunk at 0x" + Long.toHexString(x + 48 + 4 * KB) + ")"), e.getMessage());
        assertTrue(!e.getMessage().contains("changed"), "one walk cannot tell that the heap changed: " + e.getMessage());
    }

    /**
     * The main heap after a foreign sbrk: chunks, a free old top, sysmalloc's
     * two 16-byte fenceposts, someone else's 40,008 bytes (not 16-aligned), then
     * glibc's next region from the first aligned address, ending in the top.
     */
    @Test
    void theMainHeapAfterAForeignSbrkIsWalkedPastTheGap() throws Exception {
        long end = HEAP + 64 * P;
        ImageMemory m = new ImageMemory().resident(HEAP, end, true);
        m.chunk(HEAP, 4 * KB | 1);
        m.chunk(HEAP + 4 * KB, (8 * KB - 32) | 1);
        m.chunk(HEAP + 12 * KB - 32, 16);
        m.chunk(HEAP + 12 * KB - 16, 16 | 1);
        long gap = HEAP + 12 * KB;
        // Foreign bytes that look like anything: sizes that lead nowhere.
        for (long a = gap; a < gap + 40_000; a += 8) {
            m.put(a, 0x4141_4141_4141_4141L);
        }
        long next = (gap + 40_008 + 15) & ~15L;
        m.chunk(next, 8 * KB | 1);
        m.chunk(next + 8 * KB, (end - next - 8 * KB) | 1);
        HeapWalk w = new ChunkWalker(m, HEAP, m.resident(HEAP, end)).walk(HEAP, end, ChunkWalker.End.TOP, true);
        assertEquals(next - gap, w.foreignBytes());
        assertEquals(8 * KB - 32, w.freeBytes(), "the old top, freed");
        assertEquals(4 * KB + 32 + 8 * KB, w.inUseBytes(), "the chunks and the two fenceposts");
        assertEquals(end - next - 8 * KB, w.topBytes());
        assertTrue(!w.elsewhere());
    }

    /** A double fencepost at the end of [heap]: the arena went on in mmapped memory; the walk closes there. */
    @Test
    void aMainHeapEndingInADoubleFencepostClosesThere() throws Exception {
        long end = HEAP + 4 * P;
        ImageMemory m = new ImageMemory().resident(HEAP, end, true);
        m.chunk(HEAP, (4 * P - 32) | 1);
        m.chunk(end - 32, 16 | 1);
        m.chunk(end - 16, 16 | 1);
        HeapWalk w = new ChunkWalker(m, HEAP, m.resident(HEAP, end)).walk(HEAP, end, ChunkWalker.End.TOP, true);
        assertTrue(w.elsewhere());
        assertEquals(0, w.topBytes());
    }
}
