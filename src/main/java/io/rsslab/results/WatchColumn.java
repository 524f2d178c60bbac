package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/**
 * The columns of watch.csv: one row per process and reading. status is walked (a full heap walk this
 * tick), carried (nothing changed: the last walk's figures, figures_age_s old), unreadable (once per
 * process, with the reason) or exited (once, when it is dropped). The heap figures are empty where
 * they are not known (another allocator, unreadable, exited). With --trim-when, a reading over the
 * line carries the trim it led to: trims (how many tried for this process so far), trim (inject:R,
 * malloc_trim's result R; jcmd; refused:RULE or failed, with reason) and VmRSS just before and after it.
 * (Appended after reason: a folder from before reads with them empty.) Then glibc's live thresholds, mp_ as
 * inspect reads it: mmap_threshold and trim_threshold in bytes, dynamic_threshold on or off (empty: unknown).
 */
public enum WatchColumn implements CsvColumn {
    SECONDS, TIME, PID, COMM, CGROUP, STATUS, VM_RSS_KB, RSS_ANON_KB, MAIN_FREE_RESIDENT_KB, THREAD_FREE_RESIDENT_KB,
    TRIM_RELEASABLE_KB, THREAD_TOP_RESIDENT_KB, ARENAS, CONSISTENT, WALK_MS, FIGURES_AGE_S, ALLOCATOR, REASON,
    TRIMS, TRIM, TRIM_RSS_BEFORE_KB, TRIM_RSS_AFTER_KB, MMAP_THRESHOLD, TRIM_THRESHOLD, DYNAMIC_THRESHOLD;

    private static final Set<WatchColumn> NUMBERS = EnumSet.of(SECONDS, PID, VM_RSS_KB, RSS_ANON_KB,
            MAIN_FREE_RESIDENT_KB, THREAD_FREE_RESIDENT_KB, TRIM_RELEASABLE_KB, THREAD_TOP_RESIDENT_KB, ARENAS, WALK_MS,
            FIGURES_AGE_S, TRIMS, TRIM_RSS_BEFORE_KB, TRIM_RSS_AFTER_KB, MMAP_THRESHOLD, TRIM_THRESHOLD);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
