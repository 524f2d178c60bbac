package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of replay-samples.csv: each replay, every --sample-every calls and at the end. */
public enum ReplaySampleColumn implements CsvColumn {
    RUN_ID, VARIANT, REPEAT, EVENTS, RECORDED_MS, WALL_S, THREADS, LIVE_KB, LIVE_BLOCKS, RSS_KB, RSS_ANON_KB,
    RETAINED_KB, HEAP_KB, HEAP_FREE_KB, MMAPPED_KB, TOP_RELEASABLE_KB,
    /** The recorded program's own VmRSS at the same call (its last sample in the trace before it), where known. */
    PROGRAM_RSS_KB;

    private static final Set<ReplaySampleColumn> NUMBERS = EnumSet.of(REPEAT, EVENTS, RECORDED_MS, WALL_S, THREADS,
                LIVE_KB, LIVE_BLOCKS, RSS_KB, RSS_ANON_KB, RETAINED_KB, HEAP_KB, HEAP_FREE_KB, MMAPPED_KB,
                TOP_RELEASABLE_KB);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
