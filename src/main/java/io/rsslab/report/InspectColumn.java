package io.rsslab.report;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of inspect --format csv: one row per region, arena, live setting, requested setting, pin, and the verdict. */
public enum InspectColumn implements CsvColumn {
    PID, ROW, NAME, RSS_KB, MAPPED_KB, HEAPS, CHUNKS, IN_USE_KB, FREE_KB, FREE_RESIDENT_KB, TOP_KB, TOP_RESIDENT_KB,
    /** Added by issue 24, at the end: a setting's value, a pin's address, its bytes and what it holds. */
    VALUE, ADDRESS, SIZE, HOLDS_FREE_KB;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
