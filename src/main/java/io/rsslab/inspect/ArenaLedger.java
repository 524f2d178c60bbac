package io.rsslab.inspect;

/**
 * One arena's memory: kind "main" or "thread", its heaps, the kB mapped
 * (readable and writable) and resident, and from the walk of its chunks:
 * in use (tcache and fastbin chunks included: glibc marks them in use),
 * free in its bins, free and resident (whole pages inside free chunks), its
 * top chunk and the top's resident pages; chunks walked.
 */
public record ArenaLedger(String kind, int heaps, long mappedKb, long rssKb, long inUseKb, long freeKb,
        long freeResidentKb, long topKb, long topResidentKb, long chunks) {
}
