package io.rsslab.malloc;

/**
 * glibc's mmap threshold as a run goes, inferred from what it freed. With
 * the dynamic behaviour on, free() of an mmapped chunk larger than the
 * threshold, and at most 32 MiB, raises the threshold to that chunk's size
 * (malloc.c, __libc_free); the child reports the largest such chunk of each
 * round. A variant that sets any of the four knobs turns that off: the
 * threshold then stays where it was set (128 KiB unless mmap_threshold was).
 */
public final class MmapThreshold {

    /** glibc's DEFAULT_MMAP_THRESHOLD_MIN, where every process starts. */
    public static final long DEFAULT_KB = 128;

    /** How a run's threshold starts: dynamic from the default, or fixed where a setting put it. */
    public record Rule(boolean dynamic, long startKb) {

        public static final Rule DYNAMIC_FROM_DEFAULT = new Rule(true, DEFAULT_KB);

        /** A fresh inference for one run. */
        public MmapThreshold start() {
            return new MmapThreshold(dynamic, startKb);
        }
    }

    private final boolean dynamic;
    private long thresholdKb;

    private MmapThreshold(boolean dynamic, long startKb) {
        this.dynamic = dynamic;
        this.thresholdKb = startKb;
    }

    public static MmapThreshold dynamicFromDefault() {
        return Rule.DYNAMIC_FROM_DEFAULT.start();
    }

    public static MmapThreshold fixed(long kb) {
        return new Rule(false, kb).start();
    }

    public boolean dynamic() {
        return dynamic;
    }

    /** The threshold in force at the start of the next round. */
    public long currentKb() {
        return thresholdKb;
    }

    /** After a round whose largest eligible freed mmapped chunk was freedMaxBytes (0 if none). */
    public void roundFreed(long freedMaxBytes) {
        if (dynamic && freedMaxBytes / 1024 > thresholdKb) {
            thresholdKb = freedMaxBytes / 1024;
        }
    }
}
