package io.rsslab.report;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of inspect --format csv: one row per region, arena, live setting, requested setting, pin, and the verdict. */
public enum InspectColumn implements CsvColumn {
    PID, ROW, NAME, RSS_KB, MAPPED_KB, HEAPS, CHUNKS, IN_USE_KB, FREE_KB, FREE_RESIDENT_KB, TOP_KB, TOP_RESIDENT_KB,
    /**
     * Added by issue 24, at the end: a setting's value, a pin's (or an arena's) address, a pin's bytes and the
     * free kB it holds; an arena's free kB by bin class.
     */
    VALUE, ADDRESS, SIZE, HOLDS_FREE_KB, FASTBINS_KB, UNSORTED_KB, SMALL_BINS_KB, LARGE_BINS_KB;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
