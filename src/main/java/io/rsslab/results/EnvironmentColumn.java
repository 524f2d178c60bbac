package io.rsslab.results;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of environment.csv: the machine's facts and each variant's effective settings. */
public enum EnvironmentColumn implements CsvColumn {
    SECTION, NAME, VALUE, NOTE;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
