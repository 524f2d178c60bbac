package io.rsslab.report;

import java.io.PrintWriter;
import java.util.Locale;

import io.rsslab.plan.RunSpec;
import io.rsslab.results.Round;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.RunListener;
import io.rsslab.results.RunStart;

/**
 * The terminal table: the CSV's numbers in aligned columns, printed as each
 * round arrives (article-1 takes half a minute), retained memory in MiB.
 */
public final class RoundsTable implements RunListener {

    private static final String ROW = "%5s %14s %20s %19s %14s%n";

    private final PrintWriter out;
    private final RunSpec spec;
    private long maxRetainedKb = Long.MIN_VALUE;
    private int maxRound;

    public RoundsTable(PrintWriter out, RunSpec spec) {
        this.out = out;
        this.spec = spec;
    }

    @Override
    public void started(RunStart start) {
        String env = spec.variant().env().isEmpty() ? "" : " (" + spec.variant().envText() + ")";
        out.printf("%s on %s, variant %s%s, glibc %s, run %s%n", spec.scenario().name(), spec.host().label(),
                spec.variant().name(), env, start.glibcVersion(), spec.runId());
        out.printf("VmRSS before the first round: %d KB%n", start.rssBeforeKb());
        out.printf(ROW, "round", "allocated_kb", "rss_after_alloc_kb", "rss_after_free_kb", "retained_MiB");
        out.flush();
    }

    @Override
    public void round(RunStart start, Round r) {
        long retained = RoundsCsv.retainedKb(start, r);
        if (retained > maxRetainedKb) {
            maxRetainedKb = retained;
            maxRound = r.round();
        }
        out.printf(ROW, r.round(), r.allocatedKb(), r.rssAfterAllocKb(), r.rssAfterFreeKb(), mib(retained));
        out.flush();
    }

    /** One closing line: the most memory kept after the frees, and when. */
    public void finish() {
        if (maxRetainedKb != Long.MIN_VALUE) {
            out.printf("most kept after the frees: %s MiB in round %d%n", mib(maxRetainedKb), maxRound);
            out.flush();
        }
    }

    static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
