package io.rsslab.report;

import java.io.PrintWriter;
import java.util.Locale;

import io.rsslab.plan.RunSpec;
import io.rsslab.results.RunSummary;
import io.rsslab.results.Verdicts;
import io.rsslab.run.Round;
import io.rsslab.run.RoundDetail;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/**
 * The terminal table: the CSV's numbers in aligned columns, printed as each
 * round arrives (article-1 takes half a minute), retained memory in MiB;
 * a jcmd trim during the run gets its own line below its round.
 */
public final class RoundsTable implements RunListener {

    private static final String ROW = "%5s %14s %20s %19s %14s %5s %14s%n";

    private final PrintWriter out;
    private final RunSpec spec;
    private final RunSummary summary = new RunSummary();

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
        out.printf(ROW, "round", "allocated_kb", "rss_after_alloc_kb", "rss_after_free_kb", "retained_MiB", "mmap",
                "threshold_KiB");
        out.flush();
        summary.started(start);
    }

    @Override
    public void round(RunStart start, Round r) {
        summary.round(start, r);
        RoundDetail d = r.detail();
        out.printf(ROW, r.round(), r.allocatedKb(), r.rssAfterAllocKb(), r.rssAfterFreeKb(), mib(r.retainedKb(start)),
                d == null || d.mmapAllocs() == null ? "-" : d.mmapAllocs(),
                d == null || d.mmapThresholdKb() == null ? "-" : d.mmapThresholdKb());
        if (r.pause() != null) {
            out.printf("  jcmd System.trim_native_heap after round %d: %s; then VmRSS %d KB, %s MiB kept%n",
                    r.round(), r.pause().actionOutput(), r.pause().rssKb(),
                    mib(r.pause().rssKb() - start.rssBeforeKb()));
        }
        out.flush();
    }

    /** Closing lines: what stayed (at the end, at most) and the verdict. */
    public void finish() {
        if (summary.rounds() > 0) {
            out.printf("kept after the frees: %s MiB after the last round, at most %s MiB%n",
                    mib(summary.steadyRetainedKb()), mib(summary.maxRetainedKb()));
            out.printf("mmap: the round's allocations glibc served with mmap; threshold: glibc's mmap threshold at "
                    + "the round's start, inferred%n");
            out.printf("verdict: %s%n", Verdicts.of(spec, summary));
            out.flush();
        }
    }

    static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
