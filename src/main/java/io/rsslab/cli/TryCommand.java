package io.rsslab.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.fork.CommandRunner;
import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MachineFacts;
import io.rsslab.machine.MemoryFigures;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.InspectReport;
import io.rsslab.report.TryTable;
import io.rsslab.results.TryColumn;
import io.rsslab.results.TryFolder;
import io.rsslab.results.TryPlanColumn;
import io.rsslab.results.TrySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab try -- COMMAND: the user's own program under each variant, its process tree's RSS over time. */
@Command(name = "try", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run your own command (after --, without a shell) under each variant, sample the RSS of its "
                + "whole process tree over time, and compare what each variant keeps and costs.")
public final class TryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless one is composed.")
    List<String> variants = new ArrayList<>();

    @Mixin
    VariantOptions compose;

    @Option(names = "--repeat", paramLabel = "N", description = "Run each variant N times (default 1).")
    int repeat = 1;

    @Option(names = "--interval", paramLabel = "MS", description = "Sample every MS milliseconds (default 100).")
    int interval = 100;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop the command after this long (SIGTERM, SIGKILL 3 s later): a program that never ends.")
    Integer duration;

    @Option(names = "--peak", paramLabel = "SIZE",
            description = "The command's peak memory, e.g. 512M or 2G: the memory guard and --jobs use it.")
    String peak;

    @Option(names = "--inspect-at", paramLabel = "SECONDS",
            description = "Run rsslab inspect on the command that long after its start; its JSON is kept beside the run.")
    Double inspectAt;

    /** --jobs (here: default 1; with --peak, what memory allows), --out, --quiet, --force. */
    @Mixin
    ExecutionOptions execution;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its arguments, after --.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        Path out = execution.out;
        if (execution.overwrite) {
            throw new UserError("--overwrite: try always makes a new results folder");
        }
        if (execution.safety.timeout != null) {
            throw new UserError("--timeout: with try, --duration SECONDS stops the command (and says so in its row)");
        }
        if (command.isEmpty()) {
            throw new UserError("give the command to try after --, e.g. rsslab try -- python3 app.py");
        }
        requireExecutable(command.get(0));
        if (repeat < 1 || repeat > 100) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 100)");
        }
        if (interval < 10 || interval > 60_000) {
            throw new UserError("--interval " + interval + " is out of range (10 to 60000 ms)");
        }
        if (duration != null && (duration < 1 || duration > 86_400)) {
            throw new UserError("--duration " + duration + " is out of range (1 to 86400 seconds)");
        }
        if (inspectAt != null && !(inspectAt >= 0 && inspectAt <= 86_400)) {
            throw new UserError("--inspect-at " + inspectAt + " is out of range (0 to 86400 seconds)");
        }
        if (out != null && Files.exists(out)) {
            throw new UserError("--out " + out + " already exists; rsslab never reuses a results folder");
        }
        boolean java = Path.of(command.get(0)).getFileName().toString().equals("java");
        List<Variant> vs = variantsFor(java);
        int parallel = parallelism();
        TryFolder folder = TryFolder.create(out);
        List<Run> plan = new ArrayList<>();
        int seq = 0;
        for (Variant v : vs) {
            for (int r = 1; r <= repeat; r++) {
                plan.add(new Run(String.format(Locale.ROOT, "try-%d-%03d-%s-%d", ProcessHandle.current().pid(), ++seq,
                        v.name(), r), v, r, environment(v)));
            }
        }
        writeEnvironment(folder, plan);
        PrintWriter err = spec.commandLine().getErr();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try (folder) {
            List<Future<CommandRunner.Outcome>> futures = new ArrayList<>();
            for (Run run : plan) {
                futures.add(pool.submit(() -> execute(folder, run, plan.size(), done, err)));
            }
            for (Future<CommandRunner.Outcome> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException || cause instanceof IOException) {
                throw new OutputError("cannot write the results in " + folder.dir() + ": " + OutputError.reason(cause),
                        cause);
            }
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
        return finish(folder);
    }

    /** One planned run: its id, variant, repeat, and the environment it adds. */
    record Run(String id, Variant variant, int repeat, Map<String, String> env) {
    }

    private CommandRunner.Outcome execute(TryFolder folder, Run run, int total, AtomicInteger done, PrintWriter err)
            throws IOException {
        TrySummary summary = new TrySummary();
        CommandRunner runner = new CommandRunner(Duration.ofMillis(interval), duration == null ? null
                : Duration.ofSeconds(duration));
        String[] inspected = {""};
        CommandRunner.Outcome o = runner.run(command, run.env(), run.variant().preload(),
                folder.dir().resolve(run.id() + ".output.txt"), folder.dir().resolve(run.id() + ".reaped"), s -> {
                    summary.sample(s);
                    try {
                        folder.sample(run.id(), run.variant().name(), run.repeat(), s);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, inspectAt, pid -> inspected[0] = inspect(folder, run, pid));
        Files.deleteIfExists(folder.dir().resolve(run.id() + ".reaped"));
        folder.addRun(row(run, o, summary, inspected[0]));
        int n = done.incrementAndGet();
        if (!execution.quiet) {
            synchronized (err) {
                err.printf(Locale.ROOT, "[%d/%d] %s repeat %d: %s%n", n, total, run.variant().name(), run.repeat(),
                        o.failure() != null ? "FAILED: " + Text.printable(o.failure())
                                : summary.describe() + String.format(Locale.ROOT, " (%.1f s)%s", o.wallSeconds(),
                                        o.stopped() == null ? "" : ", " + o.stopped()));
                err.flush();
            }
        }
        return o;
    }

    /** rsslab inspect at --inspect-at: its JSON beside the run; the file's name, or why there is none. */
    private static String inspect(TryFolder folder, Run run, long pid) {
        String name = run.id() + ".inspect.json";
        try {
            Files.writeString(folder.dir().resolve(name), InspectReport.json(Inspector.inspect(pid, false)) + "\n");
            return name;
        } catch (InspectException e) {
            return "not inspected: " + e.getMessage();
        } catch (IOException e) {
            return "not written: " + e.getMessage();
        }
    }

    private CsvRow<TryColumn> row(Run run, CommandRunner.Outcome o, TrySummary s, String inspected) {
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
                .set(TryColumn.PEAK_RSS_KB, s.samples() == 0 ? null : s.peakKb())
                .set(TryColumn.FINAL_RSS_KB, s.samples() == 0 ? null : s.finalKb())
                .set(TryColumn.MEAN_RSS_KB, s.samples() == 0 ? null : s.meanKb())
                .set(TryColumn.TIME_WEIGHTED_RSS_MB_S, s.samples() == 0 ? null
                        : String.format(Locale.ROOT, "%.1f", s.mbSeconds()))
                .set(TryColumn.SAMPLES, s.samples())
                .set(TryColumn.SAMPLER_CPU_S, secs(o.samplerCpuSeconds()))
                .set(TryColumn.SAMPLER_CPU_PCT, o.wallSeconds() <= 0 ? null
                        : String.format(Locale.ROOT, "%.2f", 100 * o.samplerCpuSeconds() / o.wallSeconds()))
                .set(TryColumn.FAILURE, o.failure())
                .set(TryColumn.OUTPUT_TAIL, ok ? null : String.join(" | ", o.outputTail()))
                .set(TryColumn.INSPECT_JSON, inspected)
                .set(TryColumn.COMMAND, String.join(" ", command));
    }

    private static String secs(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /** The table; a command that failed under every variant is said once, with its output's end. */
    private int finish(TryFolder folder) {
        List<CsvRow<TryColumn>> rows = folder.runs();
        PrintWriter o = spec.commandLine().getOut();
        long failed = rows.stream().filter(r -> r.get(TryColumn.STATUS).equals("failed")).count();
        if (failed == rows.size()) {
            CsvRow<TryColumn> first = rows.get(0);
            throw new TryFailed(Text.printable(String.join(" ", command)) + " failed under every variant: "
                    + first.get(TryColumn.FAILURE) + (first.isEmpty(TryColumn.OUTPUT_TAIL) ? "; it printed nothing"
                            : "; its output ended: " + first.get(TryColumn.OUTPUT_TAIL)) + " (results: "
                    + folder.dir() + ")");
        }
        TryTable.print(rows, o);
        rows.stream().filter(r -> !r.isEmpty(TryColumn.JVM_OPTIONS)).map(r -> r.get(TryColumn.VARIANT)).distinct()
                .forEach(v -> o.println(v + ": its JVM options reach the java command through JDK_JAVA_OPTIONS"));
        return ReportCommand.closeFolder(folder.dir(), (int) failed, rows.size(), o, spec.commandLine().getErr());
    }

    /** Every run failed: one line, exit 1. */
    static final class TryFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TryFailed(String message) {
            super(message);
        }
    }

    /** The catalog and composed variants this command can run under. */
    private List<Variant> variantsFor(boolean java) {
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), null);
        for (Variant v : vs) {
            if (v.trim()) {
                throw new UserError("variant " + v.name() + " calls malloc_trim after a scenario's frees: it applies "
                        + "to scenarios (run, matrix), not to a command");
            }
            if (v.jcmdTrim()) {
                throw new UserError("variant " + v.name() + " pauses a scenario for jcmd: it applies to matrix --host "
                        + "jvm, not to a command");
            }
            if (!v.jvmArgs().isEmpty() && !java) {
                throw new UserError("variant " + v.name() + " sets JVM options: it applies to a java command only");
            }
        }
        return vs;
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

    /** Runs at once: --jobs, or 1; with --peak, no more than memory allows. */
    private int parallelism() {
        Integer jobs = execution.jobs;
        boolean force = execution.safety.force;
        int n = jobs == null ? 1 : jobs;
        if (n < 1 || n > 64) {
            throw new UserError("--jobs " + n + " is out of range (1 to 64)");
        }
        if (peak == null) {
            return n;
        }
        long peakKb = sizeKb(peak);
        MemoryFigures memory = MemoryFigures.read();
        long budget = memory.budgetKb();
        if (!force && peakKb > budget) {
            throw new UserError("the command's peak, " + MemoryFigures.size(peakKb) + " (--peak), does not fit in "
                    + "what this machine can give, " + MemoryFigures.size(budget) + " (" + memory.describe()
                    + ", less a 10% margin); --force to run it anyway");
        }
        int fits = force ? n : (int) Math.max(1, Math.min(n, budget / Math.max(1, peakKb)));
        return jobs == null ? Math.max(1, Math.min(fits, Runtime.getRuntime().availableProcessors())) : fits;
    }

    /** "512M", "2G", "300000K", "4096" (bytes) -> kB. */
    static long sizeKb(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1 : t.endsWith("M") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        } else {
            unit = -1;
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return unit < 0 ? Math.max(1, v / 1024) : v * unit;
        } catch (NumberFormatException e) {
            throw new UserError("--peak " + s + " is not a size (e.g. 512M, 2G)");
        }
    }

    /** As execvp looks for it: a path, or a name on PATH; executable, not a folder. */
    private static void requireExecutable(String name) {
        List<Path> candidates = new ArrayList<>();
        if (name.contains("/")) {
            candidates.add(Path.of(name));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, name));
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
        }
        boolean exists = candidates.stream().anyMatch(Files::exists);
        throw new UserError(Text.printable(name) + (exists ? " is not an executable file"
                : name.contains("/") ? ": no such file" : ": not found on PATH"));
    }

    private void writeEnvironment(TryFolder folder, List<Run> plan) throws IOException {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("rsslab", "command", Invocation.line(),
                "the command that made this folder"), new Fact("rsslab", "version", new Version().getVersion()[0], ""),
                new Fact("try", "command", String.join(" ", command), "run without a shell, under each variant"),
                new Fact("try", "interval_ms", Integer.toString(interval), "between samples of the process tree")));
        facts.addAll(MachineFacts.collect(JavaRuntime.current() + " (java.home of the running rsslab)"));
        folder.writeEnvironment(facts);
        List<CsvRow<TryPlanColumn>> rows = new ArrayList<>();
        for (Run r : plan) {
            rows.add(TryFolder.PLAN.row().set(TryPlanColumn.RUN_ID, r.id()).set(TryPlanColumn.VARIANT, r.variant().name())
                    .set(TryPlanColumn.REPEAT, r.repeat()).set(TryPlanColumn.ENV, r.variant().envText())
                    .set(TryPlanColumn.PRELOAD, r.variant().preloadText())
                    .set(TryPlanColumn.JVM_OPTIONS, r.env().getOrDefault("JDK_JAVA_OPTIONS", ""))
                    .set(TryPlanColumn.DESCRIPTION, r.variant().description())
                    .set(TryPlanColumn.COMMAND, String.join(" ", command)));
        }
        folder.writePlan(rows);
    }
}
