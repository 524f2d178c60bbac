package io.rsslab.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.fork.CommandRunner;
import io.rsslab.fork.ExitMarks;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MemoryFigures;
import io.rsslab.plan.TrimPolicy;
import io.rsslab.plan.Variant;
import io.rsslab.results.TryColumn;
import io.rsslab.results.TryFolder;
import io.rsslab.results.TryPlanColumn;
import io.rsslab.results.TrimLog;
import io.rsslab.results.TrySummary;

/**
 * rsslab try: the user's own command under each variant, its process tree
 * sampled, one row per run in a try folder. Runs go through the Scheduler,
 * admitted by --jobs and, with a declared peak, by memory.
 */
public final class TryLauncher {

    /**
     * What the command line chose, range-checked there. peakKb: the command's declared peak (null: unknown,
     * then --jobs alone limits); jobs: null for the default, 1;
     * duration: null for no limit; inspect: null for none.
     */
    public record Settings(List<String> command, List<Variant> variants, int repeat, Duration interval,
            Duration duration, Long peakKb, Integer jobs, boolean force, Path out, Origin origin, InspectAt inspect) {
    }

    /**
     * --inspect-at: that long after a run's start, inspect is called with the run's folder, id and the
     * command's pid, and returns the file it wrote beside the run (or why there is none). A callback, so
     * that this layer need not know the inspect package.
     */
    public record InspectAt(double seconds, Inspect inspect) {
    }

    /** Reads a running command: the name of the file written in folder, or "not inspected: why". */
    public interface Inspect {
        String at(Path folder, String runId, long pid);
    }

    /** One planned run: its id, variant, repeat, and the environment it adds. */
    public record Run(String id, Variant variant, int repeat, Map<String, String> env) {
    }

    /** Told as each run ends (report.TryTable's progress lines are one). */
    public interface Observer {
        void finished(int done, int total, Run run, CommandRunner.Outcome outcome, TrySummary summary);

        Observer NONE = (done, total, run, outcome, summary) -> {
        };
    }

    /** The folder and its rows; failed: how many runs failed. */
    public record Outcome(Path folder, List<CsvRow<TryColumn>> runs, int failed) {
    }

    private final Settings s;

    private TryLauncher(Settings s) {
        this.s = s;
    }

    /** Every variant checked and the memory guard passed, then every run; all failed alike is RunsFailed. */
    public static Outcome launch(Settings s, Observer observer) throws IOException {
        return new TryLauncher(s).run(observer);
    }

    private Outcome run(Observer observer) throws IOException {
        if (s.out() != null && Files.exists(s.out())) {
            throw new LaunchError("--out " + s.out() + " already exists; rsslab never reuses a results folder");
        }
        if (s.out() != null) {
            PlanLauncher.requireParent(s.out());
        }
        boolean java = Path.of(s.command().get(0)).getFileName().toString().equals("java");
        checkVariants(java);
        long budgetKb = budgetKb();
        TryFolder folder = TryFolder.create(s.out());
        List<Run> plan = new ArrayList<>();
        int seq = 0;
        for (Variant v : s.variants()) {
            for (int r = 1; r <= s.repeat(); r++) {
                plan.add(new Run(String.format(Locale.ROOT, "try-%d-%03d-%s-%d", ProcessHandle.current().pid(), ++seq,
                        v.name(), r), v, r, environment(v)));
            }
        }
        writeEnvironment(folder, plan);
        AtomicInteger done = new AtomicInteger();
        long peakKb = s.peakKb() == null ? 0 : s.peakKb();
        List<Job<Run>> jobList = plan.stream().map(r -> new Job<>(r.id(), peakKb, 0, r)).toList();
        try (folder) {
            new Scheduler(s.jobs() == null ? 1 : s.jobs(), budgetKb).runAll(jobList, run -> {
                try {
                    execute(folder, run, plan.size(), done, observer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchError("interrupted");
        } catch (UncheckedIOException e) {
            throw new OutputError("cannot write the results in " + folder.dir() + ": " + OutputError.reason(e), e);
        }
        List<CsvRow<TryColumn>> rows = folder.runs();
        int failed = (int) rows.stream().filter(r -> r.get(TryColumn.STATUS).equals("failed")).count();
        if (failed == rows.size()) {
            CsvRow<TryColumn> first = rows.get(0);
            throw new RunsFailed(Text.printable(String.join(" ", s.command())) + " failed under every variant: "
                    + first.get(TryColumn.FAILURE) + (first.isEmpty(TryColumn.OUTPUT_TAIL) ? "; it printed nothing"
                            : "; its output ended: " + first.get(TryColumn.OUTPUT_TAIL)) + " (results: "
                    + folder.dir() + ")");
        }
        return new Outcome(folder.dir(), rows, failed);
    }

    private void execute(TryFolder folder, Run run, int total, AtomicInteger done, Observer observer)
            throws IOException {
        TrySummary summary = new TrySummary();
        Path marks = folder.dir().resolve(run.id() + ".exit");
        CommandRunner runner = new CommandRunner(s.interval(), s.duration(), marks);
        String[] inspected = {""};
        Path trimLog = TrimLog.file(folder.dir(), run.id());
        CommandRunner.Outcome o = runner.run(s.command(), TrimPolicy.withLog(run.env(), trimLog), run.variant().preload(),
                folder.dir().resolve(run.id() + ".output.txt"), folder.dir().resolve(run.id() + ".reaped"), sample -> {
                    summary.sample(sample);
                    try {
                        folder.sample(run.id(), run.variant().name(), run.repeat(), sample);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, s.inspect() == null ? null : s.inspect().seconds(),
                pid -> inspected[0] = s.inspect().inspect().at(folder.dir(), run.id(), pid));
        Files.deleteIfExists(folder.dir().resolve(run.id() + ".reaped"));
        ExitMarks exit = o.reaped() == null || o.reaped().pid() <= 0 ? new ExitMarks(null, null)
                : ExitMarks.read(marks, o.reaped().pid());
        Files.deleteIfExists(marks);
        if (s.inspect() != null && inspected[0].isEmpty()) {
            inspected[0] = String.format(Locale.ROOT, "not inspected: the command ended after %.1f s, before "
                    + "--inspect-at %s s", o.wallSeconds(), seconds(s.inspect().seconds()));
        }
        folder.addRun(row(run, o, summary, inspected[0], TrimLog.readOrNull(trimLog))
                .set(TryColumn.BEFORE_EXIT_RSS_KB, exit.beforeExitKb()).set(TryColumn.AT_EXIT_RSS_KB, exit.atExitKb()));
        observer.finished(done.incrementAndGet(), total, run, o, summary);
    }

    private CsvRow<TryColumn> row(Run run, CommandRunner.Outcome o, TrySummary sum, String inspected, TrimLog trims) {
        var r = o.reaped();
        boolean ok = o.failure() == null;
        return TryFolder.RUNS.row().set(TryColumn.RUN_ID, run.id()).set(TryColumn.VARIANT, run.variant().name())
                .set(TryColumn.REPEAT, run.repeat()).set(TryColumn.ENV, run.variant().envText())
                .set(TryColumn.PRELOAD, run.variant().preloadText())
                .set(TryColumn.JVM_OPTIONS, String.join(" ", run.variant().jvmArgs()))
                .set(TryColumn.STATUS, !ok ? "failed" : o.stopped() != null ? "stopped" : "ok")
                .set(TryColumn.EXIT_CODE, r == null || r.signaled() ? null : r.code())
                .set(TryColumn.SIGNAL, r == null || !r.signaled() ? null : r.code())
                .set(TryColumn.STOPPED, o.stopped())
                .set(TryColumn.WALL_S, secs(o.wallSeconds()))
                .set(TryColumn.USER_S, r == null ? null : secs(r.userSeconds()))
                .set(TryColumn.SYS_S, r == null ? null : secs(r.sysSeconds()))
                .set(TryColumn.MINFLT, r == null || r.minflt() < 0 ? null : r.minflt())
                .set(TryColumn.MAX_RSS_KB, r == null ? null : r.maxRssKb())
                .set(TryColumn.PEAK_RSS_KB, sum.samples() == 0 ? null : sum.peakKb())
                .set(TryColumn.FINAL_RSS_KB, sum.samples() == 0 ? null : sum.finalKb())
                .set(TryColumn.MEAN_RSS_KB, sum.samples() == 0 ? null : sum.meanKb())
                .set(TryColumn.TIME_WEIGHTED_RSS_MB_S, sum.samples() == 0 ? null
                        : String.format(Locale.ROOT, "%.1f", sum.mbSeconds()))
                .set(TryColumn.SAMPLES, sum.samples())
                .set(TryColumn.SAMPLER_CPU_S, secs(o.samplerCpuSeconds()))
                .set(TryColumn.SAMPLER_CPU_PCT, o.wallSeconds() <= 0 ? null
                        : String.format(Locale.ROOT, "%.2f", 100 * o.samplerCpuSeconds() / o.wallSeconds()))
                .set(TryColumn.TRIMS, trims == null ? null : trims.trims())
                .set(TryColumn.TRIM_RETURNED_KB, trims == null ? null : trims.returnedKb())
                .set(TryColumn.TRIM_PAUSE_MEDIAN_US, trims == null ? null : trims.pauseMedianUs())
                .set(TryColumn.TRIM_PAUSE_MAX_US, trims == null ? null : trims.pauseMaxUs())
                .set(TryColumn.TRIM_CPU_S, trims == null ? null : secs(trims.cpuSeconds()))
                .set(TryColumn.FAILURE, o.failure())
                .set(TryColumn.OUTPUT_TAIL, ok ? null : String.join(" | ", o.outputTail()))
                .set(TryColumn.INSPECT_JSON, inspected)
                .set(TryColumn.COMMAND, String.join(" ", s.command()));
    }

    /** 100 for 100.0, 0.5 for 0.5: the seconds as the user wrote them. */
    private static String seconds(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static String secs(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** The variants a command can run under: no scenario-only trim or jcmd, JVM options for java only. */
    private void checkVariants(boolean java) {
        for (Variant v : s.variants()) {
            if (v.trim()) {
                throw new LaunchError("variant " + v.name() + " calls malloc_trim after a scenario's frees: it applies "
                        + "to scenarios (run, matrix), not to a command");
            }
            if (v.jcmdTrim()) {
                throw new LaunchError("variant " + v.name() + " pauses a scenario for jcmd: it applies to matrix "
                        + "--host jvm, not to a command");
            }
            if (!v.jvmArgs().isEmpty() && !java) {
                throw new LaunchError("variant " + v.name() + " sets JVM options: it applies to a java command only");
            }
        }
    }

    /** The variant's environment; JVM options through JDK_JAVA_OPTIONS (read by the java launcher, JDK 9+). */
    private static Map<String, String> environment(Variant v) {
        Map<String, String> env = new LinkedHashMap<>(v.envMap());
        if (!v.jvmArgs().isEmpty()) {
            String before = System.getenv("JDK_JAVA_OPTIONS");
            env.put("JDK_JAVA_OPTIONS", (before == null || before.isBlank() ? "" : before + " ")
                    + String.join(" ", v.jvmArgs()));
        }
        return env;
    }

    /**
     * What the scheduler may give the runs' declared peaks together (--jobs, default 1, limits the count):
     * with --peak, the machine's budget, so no more run at once than fit; a peak that can never fit is
     * refused here. Without --peak, or with --force, no limit.
     */
    private long budgetKb() {
        if (s.peakKb() == null || s.force()) {
            return MemoryFigures.UNLIMITED;
        }
        MemoryFigures memory = MemoryFigures.read();
        long budget = memory.budgetKb();
        if (s.peakKb() > budget) {
            throw new LaunchError("the command's peak, " + MemoryFigures.size(s.peakKb()) + " (--peak), does not fit "
                    + "in what this machine can give, " + MemoryFigures.size(budget) + " (" + memory.describe()
                    + ", less a 10% margin); --force to run it anyway");
        }
        return budget;
    }

    private void writeEnvironment(TryFolder folder, List<Run> plan) throws IOException {
        folder.writeEnvironment(s.origin().facts(List.of(new Fact("try", "command", String.join(" ", s.command()),
                "run without a shell, under each variant"), new Fact("try", "interval_ms",
                        Long.toString(s.interval().toMillis()), "between samples of the process tree")), List.of()));
        List<CsvRow<TryPlanColumn>> rows = new ArrayList<>();
        for (Run r : plan) {
            rows.add(TryFolder.PLAN.row().set(TryPlanColumn.RUN_ID, r.id()).set(TryPlanColumn.VARIANT, r.variant().name())
                    .set(TryPlanColumn.REPEAT, r.repeat()).set(TryPlanColumn.ENV, r.variant().envText())
                    .set(TryPlanColumn.PRELOAD, r.variant().preloadText())
                    .set(TryPlanColumn.JVM_OPTIONS, r.env().getOrDefault("JDK_JAVA_OPTIONS", ""))
                    .set(TryPlanColumn.DESCRIPTION, r.variant().description())
                    .set(TryPlanColumn.COMMAND, String.join(" ", s.command())));
        }
        folder.writePlan(rows);
    }
}
