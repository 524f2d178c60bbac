package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of plan.csv: every planned run with everything needed to start it again. */
public enum PlanColumn implements CsvColumn {
    RUN_ID, SCENARIO, HOST, VARIANT, REPEAT, ENV, PRELOAD, TRIM, JVM_ARGS, JCMD_TRIM, RELATIVE_TIME, DESCRIPTION,
    /** The jvm host's java (--java), the same on every row; empty without a jvm host. */
    JAVA,
    /** The jvm host's --jvm-arg options, the same on every row. */
    HOST_JVM_ARGS,
    /** --jcmd-round, the same on every row; empty for each scenario's last round. */
    JCMD_ROUND;

    private static final Set<PlanColumn> NUMBERS = EnumSet.of(REPEAT, RELATIVE_TIME, JCMD_ROUND);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
