package io.rsslab.inspect.glibc;

/**
 * Where glibc keeps its heap bookkeeping on x86-64, by version (malloc/arena.c,
 * malloc/malloc.c). Thread heaps are HEAP_MAX_SIZE-aligned mappings (64 MiB:
 * 2 * DEFAULT_MMAP_THRESHOLD_MAX) that start with heap_info { ar_ptr, prev,
 * size, mprotect_size, [pagesize since 2.35], pad }; an arena's first heap
 * holds its struct malloc_state right after heap_info, and its first chunk
 * after that, aligned. Modelled for glibc 2.27 (have_fastchunks in
 * malloc_state) to 2.40.
 */
record GlibcLayout(int major, int minor, long heapInfoSize) {

    static final long HEAP_MAX_SIZE = 64L * 1024 * 1024;
    /** sizeof (struct malloc_state), 2.27 and later: mutex, flags, have_fastchunks, 10 fastbins, top, last_remainder, 254 bins, binmap, next, next_free, attached_threads, system_mem, max_system_mem. */
    static final long MALLOC_STATE_SIZE = 2200;
    /** Offsets in struct malloc_state. */
    static final long FASTBINS = 16;
    static final int NFASTBINS = 10;
    static final long TOP = 96;
    static final long NEXT = 2160;
    static final long SYSTEM_MEM = 2184;
    static final long BINS = 112;
    /** NBINS 128: bins[254] holds bins 1 to 127, fd then bk; bin 1 is the unsorted bin, 2-63 small, 64-126 large. */
    static final int NBINS = 128;

    /**
     * Offsets in struct malloc_par (malloc.c; 2.36 lines 1868-1927): trim_threshold,
     * top_pad, mmap_threshold, arena_test, arena_max (8 bytes each), then since
     * 2.35 thp_pagesize, hp_pagesize (8 each) and hp_flags (4), then n_mmaps,
     * n_mmaps_max, max_n_mmaps, no_dyn_threshold (4 each), mmapped_mem,
     * max_mmapped_mem, sbrk_base, and tcache_bins, tcache_max_bytes,
     * tcache_count, tcache_unsorted_limit (8 each).
     */
    static final long MP_TRIM_THRESHOLD = 0;
    static final long MP_TOP_PAD = 8;
    static final long MP_MMAP_THRESHOLD = 16;
    static final long MP_ARENA_TEST = 24;
    static final long MP_ARENA_MAX = 32;

    /** Where n_mmaps is; n_mmaps_max, max_n_mmaps and no_dyn_threshold follow it, 4 bytes apart. */
    long mpNMmaps() {
        return minor >= 35 ? 60 : 40;
    }

    /** Where mmapped_mem is; max_mmapped_mem, sbrk_base and tcache_bins follow it, 8 bytes apart. */
    long mpMmappedMem() {
        return minor >= 35 ? 80 : 56;
    }

    /** sizeof (struct malloc_par), up to tcache_unsorted_limit. */
    long mpSize() {
        return mpMmappedMem() + 56;
    }

    /** The layout of glibc major.minor, or null when it is not one modelled here. */
    static GlibcLayout of(int major, int minor) {
        if (major != 2 || minor < 27 || minor > 40) {
            return null;
        }
        // 2.35 added heap_info.pagesize: 5 words and 8 bytes of padding, 48; before, 4 words, 32.
        return new GlibcLayout(major, minor, minor >= 35 ? 48 : 32);
    }

    /**
     * A fastbin's fd as stored: since 2.32 mangled by safe-linking
     * (malloc.c, PROTECT_PTR: the pointer xor its own address >> 12).
     */
    long reveal(long fdAddress, long stored) {
        return minor >= 32 ? (fdAddress >>> 12) ^ stored : stored;
    }

    String version() {
        return major + "." + minor;
    }

    /** The first chunk of an arena's first heap: after heap_info and malloc_state, chunk2mem 16-aligned. */
    long firstChunkOfArena(long arena) {
        return (arena + MALLOC_STATE_SIZE + ChunkWalker.ALIGN - 1) & ~(ChunkWalker.ALIGN - 1);
    }
}
