package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of a try folder's runs.csv: one row per run of the user's command. */
public enum TryColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, ENV, PRELOAD, JVM_OPTIONS, STATUS, EXIT_CODE, SIGNAL, STOPPED, WALL_S, USER_S, SYS_S,
    MINFLT,
    /** wait4's ru_maxrss: the largest single process of the tree. */
    MAX_RSS_KB,
    /** The largest sampled sum over the tree. */
    PEAK_RSS_KB,
    /** The median of the samples in the last second before the command ended or was stopped. */
    FINAL_RSS_KB, MEAN_RSS_KB,
    /** The integral of the tree's RSS over the run (MB x seconds): what a cloud bill is made of. */
    TIME_WEIGHTED_RSS_MB_S, SAMPLES, SAMPLER_CPU_S, SAMPLER_CPU_PCT, FAILURE, OUTPUT_TAIL, INSPECT_JSON, COMMAND,
    /**
     * The command's own VmRSS where its exit began (exit() called or main returned) and at its exit (after
     * atexit handlers and destructors), as librsslab-exitmark.so read them inside it (exit_mark.c): the
     * same two moments as a replay's "before exit" and "at exit". Empty: it ended otherwise (a signal, _exit).
     */
    BEFORE_EXIT_RSS_KB, AT_EXIT_RSS_KB,
    /** The periodic trimmer's log (results.TrimLog): empty for a variant without it. */
    TRIMS, TRIM_RETURNED_KB, TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S;

    private static final Set<TryColumn> NUMBERS = EnumSet.of(REPEAT, EXIT_CODE, SIGNAL, WALL_S, USER_S, SYS_S,
                MINFLT, MAX_RSS_KB, PEAK_RSS_KB, FINAL_RSS_KB, MEAN_RSS_KB, TIME_WEIGHTED_RSS_MB_S, SAMPLES,
                SAMPLER_CPU_S, SAMPLER_CPU_PCT, BEFORE_EXIT_RSS_KB, AT_EXIT_RSS_KB, TRIMS, TRIM_RETURNED_KB,
                TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
