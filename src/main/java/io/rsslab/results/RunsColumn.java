package io.rsslab.results;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of runs.csv, in file order. */
public enum RunsColumn implements CsvColumn {
    RUN_ID, SCENARIO, HOST, VARIANT, ENV, PRELOAD, TRIM, JVM_ARGS, REPEAT, STATUS, EXIT_CODE, SIGNAL, WALL_S, USER_S,
    SYS_S, MAX_RSS_KB, RSS_BEFORE_KB, STEADY_RETAINED_KB, MAX_RETAINED_KB, KEEPING_SINCE_ROUND, ROUNDS, GLIBC,
    MALLOC_SETTINGS, FAILURE, ALLOCATOR, VERDICT, CPU_VS_BASELINE, SYS_VS_BASELINE_PCT, USER_VS_BASELINE_PCT, JVM,
    JCMD_ROUND, JCMD_OUTPUT, RSS_AFTER_JCMD_KB, RETAINED_AFTER_JCMD_KB, STDERR_TAIL;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
