package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of a replay folder's runs.csv: one row per replay of the trace. */
public enum ReplayColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, HOST,
    /** "recorded" (each recorded thread its own) or 1. */
    THREADS, ENV, PRELOAD, STATUS, FAILURE,
    /** Calls replayed, and whether the trace's END record was reached. */
    EVENTS, COMPLETE, WALL_S, USER_S, SYS_S,
    /** The replayer's own VmRSS before the first call. */
    BASE_RSS_KB, PEAK_RSS_KB, FINAL_RSS_KB, PEAK_LIVE_KB, FINAL_LIVE_KB,
    /** VmRSS - live bytes requested - base: the largest over the samples, and at the end. */
    PEAK_RETAINED_KB, FINAL_RETAINED_KB,
    /** mallinfo2 at the end: arena, fordblks, hblkhd, keepcost. */
    FINAL_HEAP_KB, FINAL_HEAP_FREE_KB, FINAL_MMAPPED_KB, FINAL_TOP_RELEASABLE_KB,
    VERDICT, SAMPLES, FAILED_CALLS_SKIPPED, UNKNOWN_FREES, FIRST_UNKNOWN_FREE, UNKNOWN_REALLOCS, REUSED_ADDRESSES,
    TRACE,
    /** The record of the first address allocated again while live; the program's own VmRSS (its samples in the trace). */
    FIRST_REUSED_ADDRESS, PROGRAM_PEAK_RSS_KB, PROGRAM_FINAL_RSS_KB,
    /** false: the program crashed or was killed (no exit flush), so its last calls are not in the trace. */
    PROGRAM_ENDED,
    /** back-to-back or recorded (the program's idle gaps slept, over speed), and the seconds slept. */
    TIMING, SPEED, SLEPT_S,
    /**
     * Where the program's exit began (exit() called or main returned, marked by the recorder): the replay's
     * VmRSS, live bytes and kept there, and the program's own VmRSS; the FINAL_ columns are "at exit", after
     * the exit's own frees.
     */
    BEFORE_EXIT_RSS_KB, BEFORE_EXIT_LIVE_KB, BEFORE_EXIT_RETAINED_KB, PROGRAM_BEFORE_EXIT_RSS_KB,
    /** Arenas the program's threads used, the replay's, and the recorded threads whose arenas differ. */
    PROGRAM_ARENAS, REPLAY_ARENAS, ARENA_THREADS_DIFFER,
    /** The periodic trimmer's log (results.TrimLog), as in try's and the scenarios' runs.csv: empty without it. */
    TRIMS, TRIM_RETURNED_KB, TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S;

    private static final Set<ReplayColumn> NUMBERS = EnumSet.of(REPEAT, EVENTS, WALL_S, USER_S, SYS_S,
                BASE_RSS_KB, PEAK_RSS_KB, FINAL_RSS_KB, PEAK_LIVE_KB, FINAL_LIVE_KB, PEAK_RETAINED_KB,
                FINAL_RETAINED_KB, FINAL_HEAP_KB, FINAL_HEAP_FREE_KB, FINAL_MMAPPED_KB, FINAL_TOP_RELEASABLE_KB,
                SAMPLES, FAILED_CALLS_SKIPPED, UNKNOWN_FREES, FIRST_UNKNOWN_FREE, UNKNOWN_REALLOCS,
                REUSED_ADDRESSES, SPEED, SLEPT_S, BEFORE_EXIT_RSS_KB, BEFORE_EXIT_LIVE_KB, BEFORE_EXIT_RETAINED_KB,
                PROGRAM_BEFORE_EXIT_RSS_KB, PROGRAM_ARENAS, REPLAY_ARENAS, ARENA_THREADS_DIFFER, TRIMS,
                TRIM_RETURNED_KB, TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
