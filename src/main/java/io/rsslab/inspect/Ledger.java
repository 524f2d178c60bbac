package io.rsslab.inspect;

import java.util.List;
import java.util.Optional;

/**
 * What inspect found in a process: where its resident memory is (the
 * regions add up to rssKb, unexplainedKb included), and, where a reader read
 * the allocator's heaps, their part (heaps): each arena, what malloc_trim(0)
 * would return now, and what sits resident at the tops of thread heaps. An
 * allocator whose heaps are not read has no part: those figures are not known.
 * stoppedMicros: how long --stop held the process (null without --stop).
 */
public record Ledger(long pid, String command, String allocator, String glibcVersion, long rssKb, long mainHeapKb,
        long otherAnonKb, long fileKb, long unexplainedKb, Optional<Heaps> heaps, Long stoppedMicros,
        Context context) {

    /**
     * A reader's part (glibc's walk): the arenas; the resident kB of thread
     * heaps and live mmapped chunks; malloc_trim(0)'s prediction (systrim: the
     * main heap's top's share); the thread heaps' tops; whether two readings
     * agreed, how many were made, and how long the last took.
     */
    public record Heaps(List<ArenaLedger> arenas, long threadHeapsKb, long mmappedChunksKb, long mmappedChunks,
            long trimReleasableKb, long systrimKb, long threadTopResidentKb, boolean consistent, int walks,
            long walkMicros, List<String> notes) {
    }

    /** What decides how the process's malloc behaves: its settings, its arenas against glibc's limit. */
    public record Context(List<String> mallocSettings, int arenas, int arenaLimit, String arenaLimitSource,
            Double cpuQuota, int onlineCpus, boolean jvm, String jvmVersion, Boolean jvmHasTrimInterval,
            List<ProgramAllocator> programAllocators, List<String> notes) {
    }

    /** The arenas read (none when the heaps were not). */
    public List<ArenaLedger> arenas() {
        return heaps.map(Heaps::arenas).orElse(List.of());
    }

    /** Whether the figures are of one moment: two readings agreed, or the process stood still, or none was made. */
    public boolean consistent() {
        return heaps.map(Heaps::consistent).orElse(true);
    }
}
