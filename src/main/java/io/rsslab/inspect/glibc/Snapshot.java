package io.rsslab.inspect.glibc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rsslab.inspect.Mapping;
import io.rsslab.inspect.Memory;

/**
 * One reading of a glibc process's heaps: the main heap ([heap]), every
 * thread heap (a HEAP_MAX_SIZE-aligned heap_info that validates), the live
 * mmapped chunks, and the regions around them. A LayoutException when a
 * walk does not close (the heap changed while it was read, or it is not
 * laid out as modelled).
 */
final class Snapshot {

    /** A thread heap found: its address, heap_info's fields. */
    record Heap(long address, long arena, long prev, long size, long mprotectSize) {
        long end() {
            return address + size;
        }
    }

    /** An arena's figures from its walks, with its heaps. */
    record Arena(boolean main, List<Heap> heaps, long mappedBytes, long residentPages, HeapWalk walk) {
    }

    final List<Arena> arenas = new ArrayList<>();
    long mmappedResidentPages;
    long mmappedChunks;
    long threadHeapResidentPages;
    /** How long the walk took. */
    long micros;
    /** Resident pages counted by pagemap per mapping start, so the rest of the mapping is "other anonymous". */
    final Map<Long, Long> countedPages = new LinkedHashMap<>();
    /** What the reading could not model, for the ledger's notes. */
    final List<String> notes = new ArrayList<>();

    private final Memory memory;
    private final GlibcLayout layout;

    Snapshot(Memory memory, GlibcLayout layout) {
        this.memory = memory;
        this.layout = layout;
    }

    static Snapshot take(Memory memory, GlibcLayout layout, List<Mapping> maps) throws IOException, LayoutException {
        long t0 = System.nanoTime();
        Snapshot s = new Snapshot(memory, layout);
        s.threadHeaps(maps);
        s.mainHeap(maps);
        s.mmappedChunks(maps);
        s.micros = (System.nanoTime() - t0) / 1000;
        return s;
    }

    private void mainHeap(List<Mapping> maps) throws IOException, LayoutException {
        for (Mapping m : maps) {
            if (m.heap()) {
                BitSet res = memory.resident(m.start(), m.end());
                HeapWalk w;
                long main = mainArena(maps, m);
                Set<Long> fast = main == 0 ? Set.of() : fastbins(main, List.of(new long[] {m.start(), m.end()}));
                try {
                    w = new ChunkWalker(memory, m.start(), res).fastbins(fast).walk(m.start(), m.end(),
                            ChunkWalker.End.TOP, true);
                } catch (LayoutException e) {
                    throw new LayoutException("in the main heap [heap] 0x" + Long.toHexString(m.start()) + "-0x"
                            + Long.toHexString(m.end()) + ", " + e.getMessage());
                }
                arenas.add(0, new Arena(true, List.of(), m.length(), res.cardinality(), w));
                if (main == 0) {
                    notes.add("main_arena was not found in libc's data: the main heap's fastbins are not counted "
                            + "as malloc_trim consolidates them");
                }
                return;
            }
        }
    }

    /** Candidate thread heaps: every HEAP_MAX_SIZE-aligned address in a readable-writable anonymous mapping. */
    private void threadHeaps(List<Mapping> maps) throws IOException, LayoutException {
        Map<Long, Heap> heaps = new LinkedHashMap<>();
        for (Mapping m : maps) {
            if (!m.anonymous() || !m.readWrite() || m.heap()) {
                continue;
            }
            long first = (m.start() + GlibcLayout.HEAP_MAX_SIZE - 1) & ~(GlibcLayout.HEAP_MAX_SIZE - 1);
            for (long x = first; x < m.end(); x += GlibcLayout.HEAP_MAX_SIZE) {
                Heap h = heapInfo(x, maps);
                if (h != null) {
                    heaps.put(x, h);
                }
            }
        }
        // An arena is the heap whose ar_ptr follows its own heap_info; later heaps point back to it through prev.
        Map<Long, List<Heap>> byArena = new LinkedHashMap<>();
        for (Heap h : heaps.values()) {
            if (h.arena() == h.address() + layout.heapInfoSize() && h.prev() == 0) {
                byArena.put(h.arena(), new ArrayList<>(List.of(h)));
            }
        }
        for (Heap h : heaps.values()) {
            if (h.arena() != h.address() + layout.heapInfoSize()) {
                List<Heap> chain = byArena.get(h.arena());
                if (chain != null && heaps.containsKey(h.prev()) && heaps.get(h.prev()).arena() == h.arena()) {
                    chain.add(h);
                }
            }
        }
        for (Map.Entry<Long, List<Heap>> e : byArena.entrySet()) {
            arenas.add(threadArena(e.getKey(), e.getValue()));
        }
    }

    /** heap_info at x, if it validates: size and mprotect_size within HEAP_MAX_SIZE and mapped rw, page-aligned. */
    private Heap heapInfo(long x, List<Mapping> maps) throws IOException {
        if (!memory.resident(x, x + Memory.PAGE).get(0)) {
            return null;
        }
        ByteBuffer b = read(x, (int) layout.heapInfoSize());
        long arena = b.getLong(0);
        long prev = b.getLong(8);
        long size = b.getLong(16);
        long mprotect = b.getLong(24);
        long page = Memory.PAGE - 1;
        boolean ok = size >= layout.heapInfoSize() && size <= mprotect && mprotect <= GlibcLayout.HEAP_MAX_SIZE
                && (mprotect & page) == 0 && (size & page) == 0 && (arena & 7) == 0 && arena != 0
                && readWriteUpTo(maps, x, x + mprotect);
        if (ok && layout.heapInfoSize() == 48) {
            long pagesize = b.getLong(32);
            ok = pagesize == Memory.PAGE || pagesize == 2L * 1024 * 1024;
        }
        return ok ? new Heap(x, arena, prev, size, mprotect) : null;
    }

    private static boolean readWriteUpTo(List<Mapping> maps, long from, long to) {
        long at = from;
        for (Mapping m : maps) {
            if (m.contains(at) && m.readWrite() && m.anonymous()) {
                at = m.end();
                if (at >= to) {
                    return true;
                }
            }
        }
        return false;
    }

    private Arena threadArena(long arena, List<Heap> heaps) throws IOException, LayoutException {
        long top = read(arena + GlibcLayout.TOP, 8).getLong(0);
        long topHeap = top & ~(GlibcLayout.HEAP_MAX_SIZE - 1);
        if (heaps.stream().noneMatch(h -> h.address() == topHeap)) {
            throw new LayoutException("the top chunk 0x" + Long.toHexString(top) + " of the arena at 0x"
                    + Long.toHexString(arena) + " is in none of its heaps");
        }
        HeapWalk total = HeapWalk.EMPTY;
        long mapped = 0;
        long resident = 0;
        Set<Long> fast = fastbins(arena, heaps.stream().map(h -> new long[] {h.address(), h.end()}).toList());
        for (Heap h : heaps) {
            BitSet res = memory.resident(h.address(), h.address() + h.mprotectSize());
            long first = h.address() == arena - layout.heapInfoSize() ? layout.firstChunkOfArena(arena)
                    : h.address() + layout.heapInfoSize();
            boolean holdsTop = h.address() == topHeap;
            HeapWalk w;
            try {
                w = new ChunkWalker(memory, h.address(), res).fastbins(fast).walk(first, h.end(),
                        holdsTop ? ChunkWalker.End.TOP : ChunkWalker.End.FENCEPOST, false);
            } catch (LayoutException e) {
                throw new LayoutException("in the thread heap 0x" + Long.toHexString(h.address()) + "-0x"
                        + Long.toHexString(h.end()) + " (heap " + (heaps.indexOf(h) + 1) + " of " + heaps.size()
                        + " of the arena at 0x" + Long.toHexString(arena) + (holdsTop ? ", the one holding its top"
                                : ", one it left for a new heap") + "), " + e.getMessage());
            }
            if (holdsTop && w.topAddress() != top) {
                throw new LayoutException("the walk of the heap at 0x" + Long.toHexString(h.address())
                        + " ended at 0x" + Long.toHexString(w.topAddress()) + ", not at the arena's top 0x"
                        + Long.toHexString(top));
            }
            total = total.plus(w);
            mapped += h.mprotectSize();
            long pages = res.cardinality();
            resident += pages;
            countedPages.merge(h.address(), pages, Long::sum);
        }
        threadHeapResidentPages += resident;
        return new Arena(false, List.copyOf(heaps), mapped, resident, total);
    }

    /** Fastbin chunks followed before a list is taken as not one (a loop, or a pointer gone wrong). */
    static final int FASTBIN_LIMIT = 1_000_000;

    /**
     * The chunks in the arena's fastbins (malloc_state.fastbinsY, each list
     * through fd, mangled since 2.32), every one inside the given ranges and
     * on a resident page; a list that leaves them is not followed further,
     * and said so.
     */
    private Set<Long> fastbins(long arena, List<long[]> ranges) throws IOException {
        Set<Long> chunks = new HashSet<>();
        // The lists' chunks lie close together: each page is checked and read once (null: not resident).
        Map<Long, ByteBuffer> pages = new HashMap<>();
        ByteBuffer heads = read(arena + GlibcLayout.FASTBINS, 8 * GlibcLayout.NFASTBINS);
        for (int i = 0; i < GlibcLayout.NFASTBINS; i++) {
            long p = heads.getLong(8 * i);
            while (p != 0 && chunks.size() < FASTBIN_LIMIT) {
                long c = p;
                boolean inside = false;
                for (long[] r : ranges) {
                    inside |= (c & (ChunkWalker.ALIGN - 1)) == 0 && c >= r[0] && c + 24 <= r[1];
                }
                long page = (c + 16) & ~(Memory.PAGE - 1L);
                ByteBuffer b = inside ? pages.computeIfAbsent(page, this::residentPage) : null;
                if (b == null || !chunks.add(c)) {
                    notes.add("a fastbin list of the arena at 0x" + Long.toHexString(arena) + " was not followed past "
                            + "0x" + Long.toHexString(c) + ": its chunks are not counted as malloc_trim consolidates them");
                    break;
                }
                p = layout.reveal(c + 16, b.getLong((int) (c + 16 - page)));
            }
        }
        return chunks;
    }

    /** The page's bytes, or null when it is not resident (it is not read: that would fault it in). */
    private ByteBuffer residentPage(long page) {
        try {
            return memory.resident(page, page + Memory.PAGE).get(0) ? read(page, Memory.PAGE) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * main_arena, a static in libc's data: the struct malloc_state whose next
     * is itself or a thread arena (the arenas form a ring through next) and
     * whose top is in [heap]. 0 when none is found.
     */
    private long mainArena(List<Mapping> maps, Mapping heap) throws IOException {
        Set<Long> threadArenas = new HashSet<>();
        arenas.forEach(a -> threadArenas.add(a.heaps().get(0).arena()));
        for (Mapping m : maps) {
            if (!m.readWrite() || !(m.name().endsWith("/libc.so.6") || m.name().matches(".*/libc-2\\.\\d+\\.so"))
                    || m.length() > 1 << 20) {
                continue;
            }
            BitSet res = memory.resident(m.start(), m.end());
            if (res.cardinality() * Memory.PAGE != m.length()) {
                continue;
            }
            ByteBuffer b = read(m.start(), (int) m.length());
            for (int o = 0; o + GlibcLayout.MALLOC_STATE_SIZE <= m.length(); o += 8) {
                long a = m.start() + o;
                long next = b.getLong(o + (int) GlibcLayout.NEXT);
                long top = b.getLong(o + (int) GlibcLayout.TOP);
                boolean threadArena = threadArenas.contains(next) || threadArenas.isEmpty() && next != 0
                        && ((next - layout.heapInfoSize()) & (GlibcLayout.HEAP_MAX_SIZE - 1)) == 0;
                if ((next == a || threadArena) && top >= heap.start() && top < heap.end()) {
                    return a;
                }
            }
        }
        return 0;
    }

    /**
     * main_arena alone, without a walk (a busy process's heaps may never
     * close): its next is itself or an address just after a heap_info. 0 when
     * not found.
     */
    static long mainArenaOnly(Memory memory, GlibcLayout layout, List<Mapping> maps) throws IOException {
        for (Mapping m : maps) {
            if (m.heap()) {
                return new Snapshot(memory, layout).mainArena(maps, m);
            }
        }
        return 0;
    }

    /**
     * Live mmapped chunks: an anonymous mapping tiled from its start by chunk
     * headers whose IS_MMAPPED bit is set, each a whole number of pages
     * (sysmalloc: prev_size 0, size | IS_MMAPPED). A mapping that starts
     * otherwise holds none.
     */
    private void mmappedChunks(List<Mapping> maps) throws IOException {
        for (Mapping m : maps) {
            if (!m.anonymous() || !m.readWrite() || m.heap() || holdsThreadHeap(m)) {
                continue;
            }
            long p = m.start();
            long chunks = 0;
            while (p + 16 <= m.end() && memory.resident(p, p + Memory.PAGE).get(0)) {
                ByteBuffer h = read(p, 16);
                long prevSize = h.getLong(0);
                long field = h.getLong(8);
                long size = field & ~ChunkWalker.SIZE_BITS;
                if (prevSize != 0 || (field & 2) == 0 || (field & 4) != 0 || size == 0 || (size & (Memory.PAGE - 1)) != 0
                        || p + size > m.end()) {
                    break;
                }
                chunks++;
                p += size;
            }
            if (chunks > 0) {
                long pages = memory.resident(m.start(), p).cardinality();
                mmappedChunks += chunks;
                mmappedResidentPages += pages;
                countedPages.merge(m.start(), pages, Long::sum);
            }
        }
    }

    private boolean holdsThreadHeap(Mapping m) {
        for (Arena a : arenas) {
            for (Heap h : a.heaps()) {
                if (h.address() < m.end() && h.address() + GlibcLayout.HEAP_MAX_SIZE > m.start()) {
                    return true;
                }
            }
        }
        return false;
    }

    private ByteBuffer read(long address, int length) throws IOException {
        byte[] b = new byte[length];
        memory.read(address, b, 0, length);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Two snapshots saw the same heaps: the same chunks, bytes and resident pages in every arena. */
    boolean sameAs(Snapshot o) {
        if (arenas.size() != o.arenas.size() || mmappedChunks != o.mmappedChunks) {
            return false;
        }
        for (int i = 0; i < arenas.size(); i++) {
            if (!arenas.get(i).walk().equals(o.arenas.get(i).walk())) {
                return false;
            }
        }
        return true;
    }
}
