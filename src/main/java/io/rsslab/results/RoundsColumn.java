package io.rsslab.results;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvColumn;

/** The columns of rounds.csv (and of run --format csv), in file order. */
public enum RoundsColumn implements CsvColumn {
    RUN_ID, SCENARIO, HOST, VARIANT, ENV, TRIM, ROUND, ALLOCATED_KB, RSS_BEFORE_KB, RSS_AFTER_ALLOC_KB,
    RSS_AFTER_FREE_KB, RETAINED_KB, REPEAT, PRELOAD, RSS_ANON_AFTER_ALLOC_KB, RSS_ANON_AFTER_FREE_KB, MMAP_ALLOCS,
    MMAP_THRESHOLD_KB, HEAP_AFTER_ALLOC_KB, HEAP_FREE_AFTER_ALLOC_KB, MMAPPED_AFTER_ALLOC_KB,
    TOP_RELEASABLE_AFTER_ALLOC_KB, HEAP_AFTER_FREE_KB, HEAP_FREE_AFTER_FREE_KB, MMAPPED_AFTER_FREE_KB,
    TOP_RELEASABLE_AFTER_FREE_KB, ALLOC_MINFLT, ALLOC_USER_S, ALLOC_SYS_S, ALLOC_WALL_S, FREE_MINFLT, FREE_USER_S,
    FREE_SYS_S, FREE_WALL_S, MINFLT, USER_S, SYS_S, WALL_S,
    /** What jcmd System.trim_native_heap said, on the round after whose frees it ran. */
    JCMD_OUTPUT,
    /** VmRSS once jcmd had run, on that round. */
    RSS_AFTER_JCMD_KB,
    /** A replayed trace (scenario trace:FILE): the live bytes its program still held at the round's end. */
    LIVE_AFTER_FREE_KB,
    /** A churn scenario's parameters (plan.Churn), empty where a parameter does not apply or for another scenario. */
    CHURN_ROUNDS, CHURN_FIRST_ROUND, CHURN_ALLOCS, CHURN_THREADS, CHURN_DIST, CHURN_SIZE, CHURN_PAGES, CHURN_MIN, CHURN_MAX, CHURN_JITTER_PAGES, CHURN_SHAPE, CHURN_STEP, CHURN_LEAK, CHURN_FREE, CHURN_SEAL_EVERY, CHURN_TOUCH, CHURN_SEED;

    private static final Set<RoundsColumn> NUMBERS = EnumSet.of(ROUND, ALLOCATED_KB, RSS_BEFORE_KB,
                RSS_AFTER_ALLOC_KB, RSS_AFTER_FREE_KB, RETAINED_KB, REPEAT, RSS_ANON_AFTER_ALLOC_KB,
                RSS_ANON_AFTER_FREE_KB, MMAP_ALLOCS, MMAP_THRESHOLD_KB, HEAP_AFTER_ALLOC_KB,
                HEAP_FREE_AFTER_ALLOC_KB, MMAPPED_AFTER_ALLOC_KB, TOP_RELEASABLE_AFTER_ALLOC_KB, HEAP_AFTER_FREE_KB,
                HEAP_FREE_AFTER_FREE_KB, MMAPPED_AFTER_FREE_KB, TOP_RELEASABLE_AFTER_FREE_KB, ALLOC_MINFLT,
                ALLOC_USER_S, ALLOC_SYS_S, ALLOC_WALL_S, FREE_MINFLT, FREE_USER_S, FREE_SYS_S, FREE_WALL_S, MINFLT,
                USER_S, SYS_S, WALL_S, RSS_AFTER_JCMD_KB, LIVE_AFTER_FREE_KB, CHURN_ROUNDS, CHURN_FIRST_ROUND,
                CHURN_ALLOCS, CHURN_THREADS, CHURN_SIZE, CHURN_PAGES, CHURN_MIN, CHURN_MAX, CHURN_JITTER_PAGES,
                CHURN_STEP, CHURN_LEAK, CHURN_SEAL_EVERY, CHURN_TOUCH, CHURN_SEED);

    @Override
    public boolean number() {
        return NUMBERS.contains(this);
    }

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
