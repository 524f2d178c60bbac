package io.rsslab.inspect.glibc;

/**
 * glibc's live malloc settings, read from the target's own `mp_` (struct
 * malloc_par, malloc/malloc.c; 2.36 lines 1868-1927) at address: the
 * thresholds now (the dynamic threshold moves mmap_threshold and
 * trim_threshold in __libc_free, 2.36 lines 3366-3371), whether a setting
 * switched that off (noDynThreshold), the mmapped chunks' count and bytes
 * (sysmalloc_mmap and munmap_chunk keep them), arena_test and arena_max as
 * set (0: not set), and sbrk_base (the first address sbrk gave malloc).
 * Only a reading that validated is ever made into one (Snapshot.params).
 */
public record MallocParams(long address, long trimThreshold, long topPad, long mmapThreshold, long arenaTest,
        long arenaMax, int nMmaps, int nMmapsMax, int maxNMmaps, boolean noDynThreshold, long mmappedMem,
        long maxMmappedMem, long sbrkBase) {
}
