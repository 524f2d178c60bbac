package io.rsslab.results;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/**
 * The columns of the log librsslab-trim.so appends one row to per trim (RSSLAB_TRIM_LOG, LOG_HEADER in
 * src/main/c/trim_preload.c): when, the process, its VmRSS before and after, malloc_trim's result, how long
 * the call took (every arena's lock is held in turn within it) and the trimmer thread's CPU for it.
 */
public enum TrimLogColumn implements CsvColumn {
    TIME_UNIX_MS, PID, RSS_BEFORE_KB, RSS_AFTER_KB, RETURNED, PAUSE_US, CPU_US, NEXT_WAIT_MS;

    @Override
    public boolean number() {
        return true;
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
