package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/**
 * The columns of threshold-raises.csv: per replay, each free of an mmapped block that raised glibc's dynamic
 * mmap threshold (src/main/c/pins.c), in order: its record number in the trace, the size it raised the
 * threshold to, its stack's id, innermost frame and whole stack (empty when recorded without a stack).
 */
public enum RaiseColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, RECORD, RAISED_TO_KB, STACK_ID, CALL_SITE, STACK;

    private static final Set<RaiseColumn> NUMBERS = EnumSet.of(REPEAT, RECORD, RAISED_TO_KB, STACK_ID);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
