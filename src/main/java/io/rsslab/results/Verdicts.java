package io.rsslab.results;

import java.nio.file.Path;

import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.TraceScenario;
import io.rsslab.run.Round;
import io.rsslab.run.RoundDetail;
import io.rsslab.run.RunStart;

/**
 * One plain sentence naming the mechanism a run's numbers show, derived
 * from its columns only (so it can be checked on recorded rows): the
 * allocator, the memory kept after the last round, the smallest share of a
 * round's allocation served by mmap, and mallinfo2 after the last frees.
 * The rules, in order:
 * <ol>
 * <li>another allocator (LD_PRELOAD): kept means its own caching;</li>
 * <li>nothing kept: every round served by mmap (munmap on free), else malloc_trim, else a trimmed
 * heap top;</li>
 * <li>kept in a thread arena (the thread host's loop, and the jvm host's, run on a thread that is not
 * the process's main thread): with trim, a thread heap's top, which malloc_trim does not release;
 * else its free space;</li>
 * <li>kept in the main heap: mostly at the top (keepcost), below the trim threshold the dynamic
 * threshold raised; else in the free bins, which keep the heap from shrinking.</li>
 * </ol>
 */
public final class Verdicts {

    /** Share of every round's allocation that must be mmapped to call the run "served by mmap". */
    static final double MMAPPED_SHARE = 0.90;
    /** Share of the retained memory that must sit at the heap's top to call it "at the top". */
    static final double TOP_SHARE = 0.50;
    /** Less than this kept after the last round is noise (a JVM's own RSS moves by about 1 MiB). */
    public static final long KEPT_KB = 2048;

    private Verdicts() {
    }

    public static String of(RunSpec spec, RunSummary summary) {
        String v = of(spec.host(), spec.variant().trim(), spec.variant().preload(), summary);
        String incomplete = TraceScenario.incomplete(spec.scenario());
        return incomplete == null || v.isEmpty() ? v : v + " (the trace is " + incomplete + ")";
    }

    public static String of(Host host, boolean trim, String preload, RunSummary s) {
        RunStart start = s.start();
        Round last = s.lastRound();
        if (start == null || last == null) {
            return "";
        }
        long retainedKb = s.steadyRetainedKb();
        boolean kept = retainedKb >= KEPT_KB;
        if ("other".equals(start.allocator())) {
            String name = preload == null ? "another allocator" : Path.of(preload).getFileName().toString();
            return kept ? "retained by another allocator's caching: " + name + " keeps freed memory for reuse"
                    : "memory returned by another allocator (" + name + ")";
        }
        RoundDetail d = last.detail();
        if (d == null || d.afterFree() == null || s.minMmappedShare() == null) {
            return kept ? "memory kept after the frees (no allocator state was measured)"
                    : "memory returned after the frees";
        }
        if (!kept) {
            if (s.minMmappedShare() >= MMAPPED_SHARE) {
                return "memory returned because the allocations were mmapped: free() unmaps each one at once";
            }
            return trim ? "memory returned by malloc_trim(0): the freed heap pages were given back"
                    : "memory returned: the freed heap memory was trimmed from the top of the heap";
        }
        if (host.threadArena()) {
            return trim ? "the top of a thread heap below the trim threshold (malloc_trim cannot release it): "
                    + "the loop's thread allocates from a thread arena"
                    : "freed memory kept in a thread heap: the loop's thread allocates from a thread arena, "
                    + "and the dynamic threshold put the blocks there";
        }
        if (d.afterFree().topReleasableKb() >= TOP_SHARE * retainedKb) {
            return "freed memory kept at the top of the heap, below the trim threshold that the dynamic "
                    + "threshold raised to twice itself (malloc_trim releases it)";
        }
        return "freed memory kept in the heap's free bins, not at its top, so the heap cannot shrink "
                + "(malloc_trim releases it)";
    }
}
