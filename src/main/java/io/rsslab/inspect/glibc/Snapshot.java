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
    /** Their bytes as glibc counts them in mp_.mmapped_mem: prev_size + size each. */
    long mmappedBytes;
    /** [heap], null when the process has none. */
    Mapping heap;
    /** libc's first mapping's start (its load address); 0 when none is seen. */
    long libcBase;
    /** main_arena, 0 when none validated; the arenas' ring from it (empty then). */
    long mainArena;
    final List<Long> ring = new ArrayList<>();
    /** mp_ as read and validated; null when unknown (notes say why). */
    MallocParams params;
    /** libc's writable data, read whole once, by its start. */
    private final Map<Long, ByteBuffer> libcData = new LinkedHashMap<>();
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
        s.params(maps);
        s.micros = (System.nanoTime() - t0) / 1000;
        return s;
    }

    private void mainHeap(List<Mapping> maps) throws IOException, LayoutException {
        for (Mapping m : maps) {
            if (m.heap()) {
                heap = m;
                BitSet res = memory.resident(m.start(), m.end());
                HeapWalk w = null;
                List<String> rejected = new ArrayList<>();
                for (long candidate : mainArenaCandidates(maps, m)) {
                    int before = notes.size();
                    List<long[]> range = List.of(new long[] {m.start(), m.end()});
                    w = walkMain(m, res, fastbins(candidate, range), unsorted(candidate, range));
                    String why = validateMain(candidate, w, m);
                    if (why == null) {
                        mainArena = candidate;
                        break;
                    }
                    // The notes of a candidate that is not main_arena are not the process's.
                    notes.subList(before, notes.size()).clear();
                    rejected.add("0x" + Long.toHexString(candidate) + ": " + why);
                    w = null;
                }
                if (w == null) {
                    w = walkMain(m, res, Set.of(), Set.of());
                    notes.add("main_arena was not found in libc's data" + (rejected.isEmpty() ? "" : " (candidates "
                            + "that did not validate: " + String.join("; ", rejected) + ")") + ": the main heap's "
                            + "fastbins are not counted as malloc_trim consolidates them");
                }
                arenas.add(0, new Arena(true, List.of(), m.length(), res.cardinality(), w));
                return;
            }
        }
    }

    private HeapWalk walkMain(Mapping m, BitSet res, Set<Long> fast, Set<Long> unsorted)
            throws IOException, LayoutException {
        try {
            return new ChunkWalker(memory, m.start(), res).fastbins(fast).unsorted(unsorted).walk(m.start(), m.end(), ChunkWalker.End.TOP,
                    true);
        } catch (LayoutException e) {
            throw new LayoutException("in the main heap [heap] 0x" + Long.toHexString(m.start()) + "-0x"
                    + Long.toHexString(m.end()) + ", " + e.getMessage());
        }
    }

    /**
     * Whether the malloc_state at a is main_arena (null) or why not: its top
     * is the chunk the walk of [heap] ended on; each bin's fd and bk point at
     * the bin itself (empty: malloc.c, malloc_init_state) or at a chunk in
     * [heap]; its next leads through thread arenas found by their heap_info
     * back to it (arena.c, _int_new_arena links each new arena after
     * main_arena). The ring's order is kept (ring).
     */
    private String validateMain(long a, HeapWalk w, Mapping heap) throws IOException {
        ByteBuffer b = read(a, (int) GlibcLayout.MALLOC_STATE_SIZE);
        if (!w.elsewhere() && b.getLong((int) GlibcLayout.TOP) != w.topAddress()) {
            return "its top 0x" + Long.toHexString(b.getLong((int) GlibcLayout.TOP)) + " is not the top chunk 0x"
                    + Long.toHexString(w.topAddress()) + " the walk ended on";
        }
        for (int i = 1; i < GlibcLayout.NBINS; i++) {
            // bin_at (m, i): the bin's fd and bk taken as a chunk's, 16 bytes before them.
            long bin = a + GlibcLayout.BINS + (i - 1) * 16L - 16;
            for (int k = 0; k < 2; k++) {
                long p = b.getLong((int) (GlibcLayout.BINS + (i - 1) * 16L + 8 * k));
                if (p != bin && !(heap.contains(p) && (p & (ChunkWalker.ALIGN - 1)) == 0) && !w.elsewhere()) {
                    return "bin " + i + " points at 0x" + Long.toHexString(p) + ", neither itself nor [heap]";
                }
            }
        }
        Set<Long> threadArenas = new HashSet<>();
        arenas.forEach(x -> threadArenas.add(x.heaps().get(0).arena()));
        List<Long> order = new ArrayList<>(List.of(a));
        long next = b.getLong((int) GlibcLayout.NEXT);
        while (next != a) {
            if (!threadArenas.contains(next) || order.contains(next)) {
                return "its ring of arenas (next) reaches 0x" + Long.toHexString(next) + ", not a thread arena found "
                        + "by its heap_info, before it closes";
            }
            order.add(next);
            next = read(next + GlibcLayout.NEXT, 8).getLong(0);
        }
        if (order.size() != threadArenas.size() + 1) {
            return "its ring of arenas holds " + (order.size() - 1) + " thread arenas, " + threadArenas.size()
                    + " were found by their heap_info";
        }
        ring.clear();
        ring.addAll(order);
        return null;
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
        List<long[]> ranges = heaps.stream().map(h -> new long[] {h.address(), h.end()}).toList();
        Set<Long> fast = fastbins(arena, ranges);
        Set<Long> unsorted = unsorted(arena, ranges);
        for (Heap h : heaps) {
            BitSet res = memory.resident(h.address(), h.address() + h.mprotectSize());
            long first = h.address() == arena - layout.heapInfoSize() ? layout.firstChunkOfArena(arena)
                    : h.address() + layout.heapInfoSize();
            boolean holdsTop = h.address() == topHeap;
            HeapWalk w;
            try {
                w = new ChunkWalker(memory, h.address(), res).fastbins(fast).unsorted(unsorted).walk(first, h.end(),
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
                Long fd = fd(p, ranges, pages, chunks);
                if (fd == null) {
                    notes.add("a fastbin list of the arena at 0x" + Long.toHexString(arena) + " was not followed past "
                            + "0x" + Long.toHexString(p) + ": its chunks are not counted as malloc_trim consolidates them");
                    break;
                }
                p = layout.reveal(p + 16, fd);
            }
        }
        return chunks;
    }

    /**
     * Unsorted chunks followed at most: a page read each, unless they share
     * pages (4,096 doubled the walk of holder many 1000000 1000, whose
     * 500,000 freed chunks wait in the unsorted bin; each chunk costs a pagemap
     * read and a page read, so 64 at most: 128 reads).
     */
    static final int UNSORTED_LIMIT = 64;

    /**
     * The chunks in the arena's unsorted bin: bin_at (1), a list through fd
     * (not mangled) from bins[0] back to the bin itself; followed only
     * through resident pages inside the ranges, as fastbins(); null when
     * the list is longer than UNSORTED_LIMIT.
     */
    private Set<Long> unsorted(long arena, List<long[]> ranges) throws IOException {
        Set<Long> chunks = new HashSet<>();
        Map<Long, ByteBuffer> pages = new HashMap<>();
        long head = arena + GlibcLayout.BINS - 16;
        long p = read(arena + GlibcLayout.BINS, 8).getLong(0);
        while (p != head) {
            if (chunks.size() == UNSORTED_LIMIT) {
                // A long list costs a page read per chunk: its chunks are classed by size, as they will be sorted.
                notes.add("the unsorted bin of the arena at 0x" + Long.toHexString(arena) + " holds more than "
                        + UNSORTED_LIMIT + " chunks: not followed; its chunks are counted in the small and large bins "
                        + "by size, and the unsorted bin's free bytes are unknown");
                return null;
            }
            Long fd = fd(p, ranges, pages, chunks);
            if (fd == null) {
                notes.add("the unsorted bin of the arena at 0x" + Long.toHexString(arena) + " was not followed past 0x"
                        + Long.toHexString(p) + ": its other chunks are counted in the small and large bins by size");
                break;
            }
            p = fd;
        }
        return chunks;
    }

    /**
     * The fd word of the chunk c as stored, adding c to chunks; null when c
     * is not a 16-aligned chunk inside the ranges on a resident page (pages:
     * each read once), or was seen before (a loop).
     */
    private Long fd(long c, List<long[]> ranges, Map<Long, ByteBuffer> pages, Set<Long> chunks) {
        boolean inside = false;
        for (long[] r : ranges) {
            inside |= (c & (ChunkWalker.ALIGN - 1)) == 0 && c >= r[0] && c + 24 <= r[1];
        }
        long page = (c + 16) & ~(Memory.PAGE - 1L);
        ByteBuffer b = inside ? pages.computeIfAbsent(page, this::residentPage) : null;
        return b == null || !chunks.add(c) ? null : b.getLong((int) (c + 16 - page));
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
     * Candidates for main_arena, a static in libc's data: each struct
     * malloc_state whose next is itself or a thread arena (the arenas form a
     * ring through next) and whose top is in [heap]; validateMain says which
     * is. libc's writable data is kept for mp_ (params).
     */
    private List<Long> mainArenaCandidates(List<Mapping> maps, Mapping heap) throws IOException {
        Set<Long> threadArenas = new HashSet<>();
        arenas.forEach(a -> threadArenas.add(a.heaps().get(0).arena()));
        List<Long> found = new ArrayList<>();
        for (Mapping m : maps) {
            if (!libc(m)) {
                continue;
            }
            libcBase = libcBase == 0 ? m.start() : libcBase;
            if (!m.readWrite() || m.length() > 1 << 20) {
                continue;
            }
            BitSet res = memory.resident(m.start(), m.end());
            if (res.cardinality() * Memory.PAGE != m.length()) {
                continue;
            }
            ByteBuffer b = read(m.start(), (int) m.length());
            libcData.put(m.start(), b);
            for (int o = 0; o + GlibcLayout.MALLOC_STATE_SIZE <= m.length() && found.size() < 4; o += 8) {
                long a = m.start() + o;
                long next = b.getLong(o + (int) GlibcLayout.NEXT);
                long top = b.getLong(o + (int) GlibcLayout.TOP);
                boolean threadArena = threadArenas.contains(next) || threadArenas.isEmpty() && next != 0
                        && ((next - layout.heapInfoSize()) & (GlibcLayout.HEAP_MAX_SIZE - 1)) == 0;
                if ((next == a || threadArena) && top >= heap.start() && top < heap.end()) {
                    found.add(a);
                }
            }
        }
        return found;
    }

    static boolean libc(Mapping m) {
        return m.name().endsWith("/libc.so.6") || m.name().matches(".*/libc-2\\.\\d+\\.so");
    }

    /**
     * mp_, a static in libc's writable data beside main_arena (malloc.c,
     * struct malloc_par): the one place there whose sbrk_base is [heap]'s
     * start (sysmalloc sets it from the first sbrk), whose fields are what
     * glibc can hold (thresholds at most HEAP_MAX_SIZE / 2 where glibc caps
     * them, counts below their maxima, no_dyn_threshold 0 or 1, tcache_bins
     * at most TCACHE_MAX_BINS 64), and whose n_mmaps and mmapped_mem are the
     * live mmapped chunks this reading counted, and their bytes (sysmalloc_mmap
     * adds, munmap_chunk subtracts prev_size + size). None, or more than one:
     * unknown, and said why.
     */
    private void params(List<Mapping> maps) throws IOException {
        if (heap == null) {
            notes.add("mp_ (the live thresholds) is not known: the process has no [heap], so sbrk_base cannot be "
                    + "checked");
            return;
        }
        List<MallocParams> plausible = new ArrayList<>();
        for (Map.Entry<Long, ByteBuffer> e : libcData.entrySet()) {
            ByteBuffer b = e.getValue();
            int mm = (int) layout.mpMmappedMem();
            int nm = (int) layout.mpNMmaps();
            for (int o = 0; o + layout.mpSize() <= b.capacity(); o += 8) {
                if (b.getLong(o + mm + 16) != heap.start()) {
                    continue;
                }
                MallocParams p = new MallocParams(e.getKey() + o, b.getLong(o), b.getLong(o + 8), b.getLong(o + 16),
                        b.getLong(o + 24), b.getLong(o + 32), b.getInt(o + nm), b.getInt(o + nm + 4),
                        b.getInt(o + nm + 8), b.getInt(o + nm + 12) == 1, b.getLong(o + mm), b.getLong(o + mm + 8),
                        heap.start());
                int noDyn = b.getInt(o + nm + 12);
                long tcacheBins = b.getLong(o + mm + 24);
                long half = GlibcLayout.HEAP_MAX_SIZE / 2;
                if ((noDyn == 0 || noDyn == 1) && p.mmapThreshold() >= 0 && p.mmapThreshold() <= half
                        && (noDyn == 1 || p.trimThreshold() >= 0 && p.trimThreshold() <= 2 * half)
                        && p.nMmaps() >= 0 && p.nMmaps() <= p.maxNMmaps() && p.nMmapsMax() >= 0
                        && p.mmappedMem() >= 0 && p.mmappedMem() <= p.maxMmappedMem()
                        && (p.mmappedMem() & (Memory.PAGE - 1)) == 0 && p.arenaTest() > 0 && p.arenaMax() >= 0
                        && tcacheBins >= 0 && tcacheBins <= 64) {
                    plausible.add(p);
                }
            }
        }
        if (plausible.size() == 1 && plausible.get(0).nMmaps() > mmappedChunks) {
            deeper(maps, plausible.get(0));
        }
        List<MallocParams> valid = plausible.stream().filter(p -> p.nMmaps() == mmappedChunks
                && p.mmappedMem() == mmappedBytes).toList();
        if (valid.size() == 1) {
            params = valid.get(0);
        } else if (plausible.isEmpty()) {
            notes.add("mp_ (the live thresholds) is not known: no struct malloc_par of glibc " + layout.version()
                    + " in libc's data has sbrk_base = [heap]'s start 0x" + Long.toHexString(heap.start()));
        } else if (valid.isEmpty()) {
            MallocParams p = plausible.get(0);
            notes.add("mp_ (the live thresholds) is not known: the struct malloc_par at 0x" + Long.toHexString(
                    p.address()) + " counts " + p.nMmaps() + " mmapped chunks of " + p.mmappedMem() + " bytes, the "
                    + "walk found " + mmappedChunks + " of " + mmappedBytes);
        } else {
            notes.add("mp_ (the live thresholds) is not known: " + valid.size() + " places in libc's data validate");
        }
    }

    /**
     * main_arena alone, without a walk (a busy process's heaps may never
     * close): its next is itself or an address just after a heap_info. 0 when
     * not found.
     */
    static long mainArenaOnly(Memory memory, GlibcLayout layout, List<Mapping> maps) throws IOException {
        for (Mapping m : maps) {
            if (m.heap()) {
                List<Long> found = new Snapshot(memory, layout).mainArenaCandidates(maps, m);
                return found.size() == 1 ? found.get(0) : 0;
            }
        }
        return 0;
    }

    /**
     * Live mmapped chunks: an anonymous mapping tiled from its start by chunk
     * headers whose IS_MMAPPED bit is set, each a whole number of pages
     * (sysmalloc_mmap: prev_size 0, size | IS_MMAPPED). A chunk memalign
     * moved up keeps that first header in the lead it skipped (_int_memalign
     * writes the new one, with prev_size the lead, further on), so it is
     * counted whole, as mp_.mmapped_mem counts it. A mapping that starts
     * otherwise holds none.
     */
    private void mmappedChunks(List<Mapping> maps) throws IOException {
        for (Mapping m : maps) {
            if (mayHoldMmappedChunks(m)) {
                tiled.put(m.start(), tile(m, m.start()));
            }
        }
    }

    private boolean mayHoldMmappedChunks(Mapping m) {
        return m.anonymous() && m.readWrite() && !m.heap() && !holdsThreadHeap(m);
    }

    /** Where in each mapping that may hold mmapped chunks the chunks tiled from its start end. */
    private final Map<Long, Long> tiled = new HashMap<>();

    /** Counts the mmapped chunks that tile m from p on; where they end. */
    private long tile(Mapping m, long from) throws IOException {
        long p = from;
        long chunks = 0;
        while (p + 16 <= m.end() && memory.resident(p, p + Memory.PAGE).get(0)) {
            long size = mmappedChunkSize(read(p, 16), p, m.end());
            if (size == 0) {
                break;
            }
            chunks++;
            p += size;
        }
        if (chunks > 0) {
            long pages = memory.resident(from, p).cardinality();
            mmappedChunks += chunks;
            mmappedBytes += p - from;
            mmappedResidentPages += pages;
            countedPages.merge(m.start(), pages, Long::sum);
        }
        return p;
    }

    /** The size of the mmapped chunk whose header h is at p, or 0 when it is not one. */
    private static long mmappedChunkSize(ByteBuffer h, long p, long end) {
        long field = h.getLong(8);
        long size = field & ~ChunkWalker.SIZE_BITS;
        boolean chunk = h.getLong(0) == 0 && (field & 2) != 0 && (field & 4) == 0 && size != 0
                && (size & (Memory.PAGE - 1)) == 0 && Long.compareUnsigned(size, end - p) <= 0;
        return chunk ? size : 0;
    }

    /** Resident pages the deeper search for mmapped chunks reads at most (a header of 16 bytes each). */
    static final int DEEP_PAGES = 1 << 16;

    /**
     * When mp_ counts more mmapped chunks than tile their mappings from the
     * start: the kernel merged a chunk's mapping with one mapped later just
     * below it (mmap hands out addresses downwards), so the chunk starts
     * inside a mapping. Each resident page after the tiled chunks is taken
     * as a header, until the counts are mp_'s or DEEP_PAGES were read.
     */
    private void deeper(List<Mapping> maps, MallocParams wanted) throws IOException {
        int budget = DEEP_PAGES;
        for (Mapping m : maps) {
            if (!mayHoldMmappedChunks(m) || !tiled.containsKey(m.start())) {
                continue;
            }
            long from = tiled.get(m.start());
            BitSet res = memory.resident(m.start(), m.end());
            for (int i = res.nextSetBit((int) ((from - m.start()) / Memory.PAGE)); i >= 0 && budget > 0; i = res
                    .nextSetBit(i + 1)) {
                if (mmappedChunks == wanted.nMmaps() && mmappedBytes == wanted.mmappedMem()) {
                    return;
                }
                long p = m.start() + (long) i * Memory.PAGE;
                budget--;
                if (mmappedChunkSize(read(p, 16), p, m.end()) != 0) {
                    long end = tile(m, p);
                    i = (int) ((end - m.start()) / Memory.PAGE) - 1;
                }
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
        if (arenas.size() != o.arenas.size() || mmappedChunks != o.mmappedChunks
                || !java.util.Objects.equals(params, o.params)) {
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
