package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of a try folder's plan.csv: every run planned, with the command and its variant. */
public enum TryPlanColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, ENV, PRELOAD, JVM_OPTIONS, DESCRIPTION, COMMAND;

    private static final Set<TryPlanColumn> NUMBERS = EnumSet.of(REPEAT);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
