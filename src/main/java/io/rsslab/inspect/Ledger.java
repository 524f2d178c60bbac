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
            long walkMicros, List<String> notes, Settings settings, List<Pin> pins) {
    }

    /**
     * glibc's live malloc settings (its mp_), each null where not known: the
     * thresholds now, no_dyn_threshold (1: a setting or mallopt switched the
     * dynamic threshold off), the mmapped chunks' count, limit, bytes and
     * the bytes' maximum, arena_max and arena_test (0: not set), the arenas
     * in the ring from main_arena, and how mp_ was found.
     */
    public record Settings(Long mmapThreshold, Long trimThreshold, Long topPad, Integer noDynThreshold, Long nMmaps,
            Long nMmapsMax, Long mmappedBytes, Long maxMmappedBytes, Long arenaMax, Long arenaTest, Integer arenas,
            String foundBy) {

        public static final Settings UNKNOWN = new Settings(null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Live chunks that pin free memory: in the arena (main, or thread-N in
     * the order of the arenas), the in-use chunks from address, size bytes in
     * all, that stand between a free run and the heap's top (or its end), and
     * the free resident kB of that run below them, which free()'s trim cannot
     * reach while they live.
     */
    public record Pin(String arena, long address, long size, long chunks, long holdsFreeKb) {
    }

    /** What decides how the process's malloc behaves: its settings, its arenas against glibc's limit. */
    public record Context(List<String> mallocSettings, List<Requested> requested, int arenas, int arenaLimit,
            String arenaLimitSource,
            Double cpuQuota, int onlineCpus, boolean jvm, String jvmVersion, Boolean jvmHasTrimInterval,
            List<ProgramAllocator> programAllocators, List<String> notes) {
    }

    /**
     * A malloc setting of the process's environment against mp_ now: agrees,
     * disagrees, or unknown (mp_ not read, or a tunable mp_ does not hold),
     * and what mp_ says.
     */
    public record Requested(String setting, String verdict, String says) {
    }

    /** The live settings (all unknown when the heaps were not read). */
    public Settings settings() {
        return heaps.map(Heaps::settings).orElse(Settings.UNKNOWN);
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
