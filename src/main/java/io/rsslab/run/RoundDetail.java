package io.rsslab.run;

/**
 * Why a round ended as it did: anonymous RSS, glibc's own state (null under
 * another allocator or without explain), the inferred mmap threshold at the
 * round's start, and the cost of each phase (null without explain).
 */
public record RoundDetail(Long rssAnonAfterAllocKb, Long rssAnonAfterFreeKb, Integer mmapAllocs,
        Long freedMmappedMaxBytes, Long mmapThresholdKb, Heap afterAlloc, Heap afterFree, Cost alloc, Cost free) {

    /** mallinfo2(), kB. */
    public record Heap(long heapKb, long heapFreeKb, long mmappedKb, long topReleasableKb) {
    }

    /** One phase: minor faults, CPU and wall seconds of the loop's thread. */
    public record Cost(long minflt, double userSeconds, double sysSeconds, double wallSeconds) {
        public Cost plus(Cost o) {
            return new Cost(minflt + o.minflt, userSeconds + o.userSeconds, sysSeconds + o.sysSeconds,
                    wallSeconds + o.wallSeconds);
        }
    }

    public RoundDetail withThreshold(Long kb) {
        return new RoundDetail(rssAnonAfterAllocKb, rssAnonAfterFreeKb, mmapAllocs, freedMmappedMaxBytes, kb,
                afterAlloc, afterFree, alloc, free);
    }
}
