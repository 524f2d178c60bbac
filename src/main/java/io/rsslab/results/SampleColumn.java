package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of samples.csv: the command's process tree, sample by sample. */
public enum SampleColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, SECONDS, RSS_KB, RSS_ANON_KB, PROCESSES;

    private static final Set<SampleColumn> NUMBERS = EnumSet.of(REPEAT, SECONDS, RSS_KB, RSS_ANON_KB, PROCESSES);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
