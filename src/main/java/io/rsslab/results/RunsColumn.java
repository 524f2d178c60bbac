package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of runs.csv, in file order. */
public enum RunsColumn implements CsvColumn {
    RUN_ID, SCENARIO, HOST, VARIANT, ENV, PRELOAD, TRIM, JVM_ARGS, REPEAT, STATUS, EXIT_CODE, SIGNAL, WALL_S, USER_S,
    SYS_S, MAX_RSS_KB, RSS_BEFORE_KB, STEADY_RETAINED_KB, MAX_RETAINED_KB, KEEPING_SINCE_ROUND, ROUNDS, GLIBC,
    MALLOC_SETTINGS, FAILURE, ALLOCATOR, VERDICT, CPU_VS_BASELINE, SYS_VS_BASELINE_PCT, USER_VS_BASELINE_PCT, JVM,
    JCMD_ROUND, JCMD_OUTPUT, RSS_AFTER_JCMD_KB, RETAINED_AFTER_JCMD_KB, STDERR_TAIL,
    /** The periodic trimmer's log (TrimLog): empty for a variant without it. */
    TRIMS, TRIM_RETURNED_KB, TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S,
    /** A churn scenario's parameters (plan.Churn), empty where a parameter does not apply or for another scenario. */
    CHURN_ROUNDS, CHURN_FIRST_ROUND, CHURN_ALLOCS, CHURN_THREADS, CHURN_DIST, CHURN_SIZE, CHURN_PAGES, CHURN_MIN, CHURN_MAX, CHURN_JITTER_PAGES, CHURN_SHAPE, CHURN_STEP, CHURN_LEAK, CHURN_FREE, CHURN_SEAL_EVERY, CHURN_TOUCH, CHURN_SEED;

    private static final Set<RunsColumn> NUMBERS = EnumSet.of(REPEAT, EXIT_CODE, SIGNAL, WALL_S, USER_S, SYS_S,
                MAX_RSS_KB, RSS_BEFORE_KB, STEADY_RETAINED_KB, MAX_RETAINED_KB, KEEPING_SINCE_ROUND, ROUNDS,
                SYS_VS_BASELINE_PCT, USER_VS_BASELINE_PCT, JCMD_ROUND, RSS_AFTER_JCMD_KB, RETAINED_AFTER_JCMD_KB,
                TRIMS, TRIM_RETURNED_KB, TRIM_PAUSE_MEDIAN_US, TRIM_PAUSE_MAX_US, TRIM_CPU_S,
                CHURN_ROUNDS, CHURN_FIRST_ROUND, CHURN_ALLOCS, CHURN_THREADS, CHURN_SIZE, CHURN_PAGES, CHURN_MIN,
                CHURN_MAX, CHURN_JITTER_PAGES, CHURN_STEP, CHURN_LEAK, CHURN_SEAL_EVERY, CHURN_TOUCH, CHURN_SEED);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
