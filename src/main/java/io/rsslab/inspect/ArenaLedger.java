package io.rsslab.inspect;

/**
 * One arena's memory: kind "main" or "thread", its heaps, the kB mapped
 * (readable and writable) and resident, and from the walk of its chunks:
 * in use (tcache chunks included: glibc marks them in use), free in its
 * bins (fastbin chunks included where the arena is known), free and
 * resident (whole pages inside free chunks), its top chunk and the top's
 * resident pages; chunks walked; the arena's address (its malloc_state; 0:
 * not known) and its free kB by bin class: fastbins, the unsorted bin,
 * small bins (chunks below 1024 bytes), large bins; unsortedKb null when
 * that list was too long to follow (its chunks are then in small and large).
 */
public record ArenaLedger(String kind, int heaps, long mappedKb, long rssKb, long inUseKb, long freeKb,
        long freeResidentKb, long topKb, long topResidentKb, long chunks, long address, long fastbinsKb,
        Long unsortedKb, long smallBinsKb, long largeBinsKb) {
}
