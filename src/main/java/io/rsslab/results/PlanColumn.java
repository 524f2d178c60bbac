package io.rsslab.results;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of plan.csv: every planned run with everything needed to start it again. */
public enum PlanColumn implements CsvColumn {
    RUN_ID, SCENARIO, HOST, VARIANT, REPEAT, ENV, PRELOAD, TRIM, JVM_ARGS, JCMD_TRIM, RELATIVE_TIME, DESCRIPTION;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
