package io.rsslab.results;

import java.io.Closeable;
import java.io.IOException;
import java.util.Locale;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.plan.RunSpec;
import io.rsslab.run.ChildResult;
import io.rsslab.run.Reaped;
import io.rsslab.run.RunStart;

/** runs.csv: one row per finished run, appended as each run ends. */
public final class RunsCsv implements Closeable {

    public static final CsvSchema<RunsColumn> SCHEMA = CsvSchema.of(RunsColumn.class);

    private static final RunColumns<RunsColumn> RUN = new RunColumns<>(RunsColumn.RUN_ID, RunsColumn.SCENARIO,
            RunsColumn.HOST, RunsColumn.VARIANT, RunsColumn.ENV, RunsColumn.PRELOAD, RunsColumn.TRIM,
            RunsColumn.REPEAT);

    private final CSVPrinter printer;
    /** A write failed (a full disk): nothing more is written, so no row can follow half a row. */
    private IOException failed;

    /** appending: the file has its header already. */
    public RunsCsv(Appendable out, boolean appending) throws IOException {
        this.printer = new CSVPrinter(out, appending ? SCHEMA.appending() : SCHEMA.format());
        printer.flush();
    }

    public synchronized void write(CsvRow<RunsColumn> row) throws IOException {
        if (failed != null) {
            throw new IOException("an earlier write failed: " + failed.getMessage(), failed);
        }
        try {
            printer.printRecord(row.values());
            printer.flush();
        } catch (IOException e) {
            failed = e;
            throw e;
        }
    }

    /**
     * A finished run's row: the plan, how the child ended (the kernel's
     * accounting), what its rounds amount to, the verdict, and jcmd's trim.
     * The comparison with the baseline is added once the matrix has ended.
     * jvm: the jvm host's JVM described ("" for the other hosts).
     */
    public static CsvRow<RunsColumn> row(RunSpec spec, ChildResult result, RunSummary summary,
            String mallocSettings, String jvm, TrimLog trims) {
        Reaped r = result.reaped();
        RunStart start = summary.start();
        boolean rounds = summary.rounds() > 0;
        CsvRow<RunsColumn> row = RUN.fill(SCHEMA.row(), spec)
                .set(RunsColumn.JVM_ARGS, String.join(" ", spec.variant().jvmArgs()))
                .set(RunsColumn.STATUS, result.ok() ? "ok" : "failed")
                .set(RunsColumn.EXIT_CODE, result.exitCode() < 0 ? null : result.exitCode())
                .set(RunsColumn.SIGNAL, result.signal() == 0 ? null : result.signal())
                .set(RunsColumn.WALL_S, seconds(result.wallSeconds()))
                .set(RunsColumn.USER_S, r == null ? null : seconds(r.userSeconds()))
                .set(RunsColumn.SYS_S, r == null ? null : seconds(r.sysSeconds()))
                .set(RunsColumn.MAX_RSS_KB, r == null ? null : r.maxRssKb())
                .set(RunsColumn.RSS_BEFORE_KB, start == null ? null : start.rssBeforeKb())
                .set(RunsColumn.STEADY_RETAINED_KB, rounds ? summary.steadyRetainedKb() : null)
                .set(RunsColumn.MAX_RETAINED_KB, rounds ? summary.maxRetainedKb() : null)
                .set(RunsColumn.KEEPING_SINCE_ROUND, summary.keepingSince())
                .set(RunsColumn.ROUNDS, summary.rounds())
                .set(RunsColumn.GLIBC, start == null ? null : start.glibcVersion())
                .set(RunsColumn.MALLOC_SETTINGS, mallocSettings)
                .set(RunsColumn.FAILURE, result.failure())
                .set(RunsColumn.ALLOCATOR, start == null ? null : start.allocator())
                .set(RunsColumn.VERDICT, result.ok() ? Verdicts.of(spec, summary) : null)
                .set(RunsColumn.JVM, jvm)
                .set(RunsColumn.STDERR_TAIL, result.ok() ? null : String.join(" | ", result.stderrTail()))
                .set(RunsColumn.TRIMS, trims == null ? null : trims.trims())
                .set(RunsColumn.TRIM_RETURNED_KB, trims == null ? null : trims.returnedKb())
                .set(RunsColumn.TRIM_PAUSE_MEDIAN_US, trims == null ? null : trims.pauseMedianUs())
                .set(RunsColumn.TRIM_PAUSE_MAX_US, trims == null ? null : trims.pauseMaxUs())
                .set(RunsColumn.TRIM_CPU_S, trims == null ? null : seconds(trims.cpuSeconds()));
        if (summary.pausedRound() != null) {
            row.set(RunsColumn.JCMD_ROUND, summary.pausedRound())
                    .set(RunsColumn.JCMD_OUTPUT, summary.pause().actionOutput())
                    .set(RunsColumn.RSS_AFTER_JCMD_KB, summary.pause().rssKb())
                    .set(RunsColumn.RETAINED_AFTER_JCMD_KB, summary.pause().rssKb() - start.rssBeforeKb());
        }
        return row;
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
