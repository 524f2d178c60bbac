package io.rsslab.report;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of inspect --format csv: one row per region and per arena. */
public enum InspectColumn implements CsvColumn {
    PID, ROW, NAME, RSS_KB, MAPPED_KB, HEAPS, CHUNKS, IN_USE_KB, FREE_KB, FREE_RESIDENT_KB, TOP_KB, TOP_RESIDENT_KB;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
