package io.rsslab.inspect;

import java.util.List;

/**
 * What inspect found in a process: where its resident memory is (the
 * regions add up to rssKb, unexplainedKb included), each glibc arena, and
 * the two answers: what malloc_trim(0) would return now, and what sits
 * resident at the tops of thread heaps, which malloc_trim cannot return.
 * Figures inspect cannot know (another allocator's heap) are null.
 * walkMicros: how long the last walk of every heap took.
 */
public record Ledger(long pid, String command, String allocator, String glibcVersion, long rssKb,
        List<ArenaLedger> arenas, Long mainHeapKb, Long threadHeapsKb, Long mmappedChunksKb, long mmappedChunks,
        long otherAnonKb, long fileKb, long unexplainedKb, Long trimReleasableKb, Long systrimKb,
        Long threadTopResidentKb, boolean consistent, int walks, Long stoppedMicros, long walkMicros, Context context) {

    /** What decides how the process's malloc behaves: its settings, its arenas against glibc's limit. */
    public record Context(List<String> mallocSettings, int arenas, int arenaLimit, String arenaLimitSource,
            Double cpuQuota, int onlineCpus, boolean jvm, String jvmVersion, Boolean jvmHasTrimInterval,
            List<String> notes) {
    }
}
