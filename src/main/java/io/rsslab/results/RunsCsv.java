package io.rsslab.results;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import io.rsslab.fork.ChildResult;
import io.rsslab.fork.Reaped;
import io.rsslab.plan.RunSpec;

/** runs.csv: one row per finished run, written as each run ends. */
public final class RunsCsv implements Closeable {

    public static final List<String> COLUMNS = List.of("run_id", "scenario", "host", "variant", "env", "preload",
            "trim", "jvm_args", "repeat", "status", "exit_code", "signal", "wall_s", "user_s", "sys_s", "max_rss_kb",
            "rss_before_kb", "steady_retained_kb", "max_retained_kb", "keeping_since_round", "rounds", "glibc",
            "malloc_settings", "failure", "allocator", "verdict", "cpu_vs_baseline", "sys_vs_baseline_pct",
            "user_vs_baseline_pct", "jvm", "jcmd_round", "jcmd_output", "rss_after_jcmd_kb", "retained_after_jcmd_kb", "stderr_tail");

    /** What a run adds beyond its rounds: the JVM it ran in, and a jcmd trim during a pause. */
    public record Extras(String jvm, Integer jcmdRound, String jcmdOutput, Long rssAfterJcmdKb) {
        public static final Extras NONE = new Extras("", null, null, null);
    }

    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(COLUMNS.toArray(String[]::new)).get();

    private final CSVPrinter printer;

    public RunsCsv(Appendable out) throws IOException {
        this(out, false);
    }

    /** appending: the file has its header already. */
    public RunsCsv(Appendable out, boolean appending) throws IOException {
        this.printer = new CSVPrinter(out, appending ? FORMAT.builder().setSkipHeaderRecord(true).get() : FORMAT);
        printer.flush();
    }

    public synchronized void write(RunSpec spec, ChildResult result, RunSummary summary, String mallocSettings,
            Extras extras) throws IOException {
        Reaped r = result.reaped();
        RunStart start = summary.start();
        printer.printRecord(spec.runId(), spec.scenario().name(), spec.host().label(), spec.variant().name(),
                spec.variant().envText(), spec.variant().preloadText(), spec.variant().trim(),
                String.join(" ", spec.variant().jvmArgs()), spec.repeat(), result.ok() ? "ok" : "failed",
                result.exitCode() < 0 ? "" : result.exitCode(), result.signal() == 0 ? "" : result.signal(),
                seconds(result.wallSeconds()), r == null ? "" : seconds(r.userSeconds()),
                r == null ? "" : seconds(r.sysSeconds()), r == null ? "" : r.maxRssKb(),
                start == null ? "" : start.rssBeforeKb(), summary.rounds() == 0 ? "" : summary.steadyRetainedKb(),
                summary.rounds() == 0 ? "" : summary.maxRetainedKb(),
                summary.keepingSince() == null ? "" : summary.keepingSince(), summary.rounds(),
                start == null ? "" : start.glibcVersion(), mallocSettings,
                result.failure() == null ? "" : result.failure(), start == null ? "" : start.allocator(),
                result.ok() ? Verdicts.of(spec, summary) : "", "", "", "", extras.jvm(),
                extras.jcmdRound() == null ? "" : extras.jcmdRound(),
                extras.jcmdOutput() == null ? "" : extras.jcmdOutput(),
                extras.rssAfterJcmdKb() == null ? "" : extras.rssAfterJcmdKb(),
                extras.rssAfterJcmdKb() == null || start == null ? "" : extras.rssAfterJcmdKb() - start.rssBeforeKb(),
                result.ok() ? "" : String.join(" | ", result.stderrTail()));
        printer.flush();
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
