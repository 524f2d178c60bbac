package io.rsslab.launch;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.fork.ChildRunner;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.machine.Fact;
import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.malloc.Tunable;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.results.PlanCsv;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RunsColumn;

/**
 * Runs a plan into a results folder, in steps: check every option, refuse
 * what can never fit, read back each variant's malloc settings, open the
 * folder, schedule the children, finish the folder (and only then replace
 * the one --overwrite named). Used by matrix, sweep, hosts and reproduce.
 */
public final class PlanLauncher {

    /**
     * How a plan ended: the folder that holds it, the runs' rows, how many
     * were planned and failed; kept: the folder --overwrite named when it was
     * kept because some run failed (the new results are then in folder).
     */
    public record Outcome(Path folder, List<CsvRow<RunsColumn>> runs, int planned, int failed, Path kept) {

        /** Says how many runs failed, if any; true if some did. */
        public boolean reportFailures(PrintWriter err) {
            if (failed == 0) {
                return false;
            }
            err.println("rsslab: " + failed + " of " + planned + " runs failed (see runs.csv)"
                    + (kept == null ? "" : "; " + kept + " was kept (--overwrite replaces only after success), "
                            + "the new results are in " + folder));
            err.flush();
            return true;
        }
    }

    /**
     * What the command line chose, range-checked there: --out (null: results/TIME), --overwrite, --jobs,
     * --timeout (null: none), --force; how progress is shown; where the folder comes from (environment.csv).
     */
    public record Options(Path out, boolean overwrite, int jobs, Duration timeout, boolean force,
            RunObserver.Factory progress, Origin origin) {
    }

    /** The jvm host's JVM, asked about itself by the command line, and its options. */
    public record Jvm(JavaRuntime runtime, List<String> args) {
    }

    /** The options of one launch, all checked before anything starts. */
    private record Settings(int jobs, Duration timeout, long budgetKb, JavaRuntime java, List<String> jvmArgs,
            Integer jcmdRound) {
    }

    private PlanLauncher() {
    }

    /** jvm: the jvm host's JVM and options (null: the running one); jcmdRound: null for each scenario's last. */
    public static Outcome launch(List<RunSpec> plan, Options opts, Jvm jvm, Integer jcmdRound, PrintWriter err)
            throws IOException {
        checkOut(opts);
        Settings settings = settings(plan, opts, jvm, jcmdRound);
        Judged judged = judgeVariants(plan, settings, opts.origin(), err);
        ResultsFolder folder = openFolder(opts);
        try {
            folder.writeEnvironment(judged.facts());
            folder.writePlan(plan, new PlanCsv.Settings(settings.java() == null ? null : settings.java().java()
                    .toString(), settings.jvmArgs(), settings.jcmdRound()));
        } catch (IOException e) {
            folder.close();
            throw new OutputError("cannot write the results folder " + folder.dir() + ": " + OutputError.reason(e), e);
        }
        return execute(plan, folder, settings, judged, opts.progress());
    }

    /**
     * Completes a results folder: runs the planned runs that have no row in
     * its runs.csv, with the plan's own settings (its JVM, its jcmd round),
     * each run checked as the command line that planned it checked it.
     */
    public static Outcome resume(Path dir, Options opts, PrintWriter err) throws IOException {
        ResultsFolder.Resumed resumed;
        List<RunSpec> missing;
        PlanCsv.Plan plan;
        JavaRuntime java;
        try {
            ResultsFolder.checkResumable(dir);
            plan = PlanCsv.read(dir.resolve(ResultsFolder.PLAN));
            java = plan.settings().java() == null ? null : probe(Path.of(plan.settings().java()));
            List<RunSpec> specs = PlanCsv.specs(plan, ScenarioCatalog.load(), VariantCatalog.load(), java);
            PlanBuilder.checkJcmdRound(plan.settings().jcmdRound(), specs.stream().map(RunSpec::scenario)
                    .distinct().toList());
            resumed = ResultsFolder.resume(dir, specs.stream().map(RunSpec::runId).collect(Collectors.toSet()));
            missing = specs.stream().filter(s -> !resumed.finished().contains(s.runId())).toList();
        } catch (IllegalArgumentException e) {
            throw new LaunchError(e.getMessage());
        }
        for (String f : resumed.droppedPartialRows()) {
            err.println("rsslab: " + dir.resolve(f) + " ended in a partial row (a write cut short); it was dropped");
        }
        err.flush();
        if (missing.isEmpty()) {
            // Every run has its row; the closing rewrite (the baseline comparison) may not have happened.
            finish(resumed.folder());
            return new Outcome(dir, List.of(), 0, 0, null);
        }
        Settings settings = new Settings(opts.jobs(), opts.timeout(), MemoryGuard.check(missing, opts.force()), java,
                plan.settings().jvmArgs(), plan.settings().jcmdRound());
        Judged judged = judgeVariants(missing, settings, opts.origin(), err);
        return execute(missing, resumed.folder(), settings, judged, opts.progress());
    }

    /** Every option checked, the memory guard passed, the jvm host's JVM asked about itself. */
    private static Settings settings(List<RunSpec> plan, Options opts, Jvm jvm, Integer jcmdRound) {
        long budget = MemoryGuard.check(plan, opts.force());
        boolean jvmHost = plan.stream().anyMatch(s -> s.host() == Host.JVM);
        JavaRuntime java = jvmHost ? (jvm == null ? probe(JavaRuntime.current()) : jvm.runtime()) : null;
        return new Settings(opts.jobs(), opts.timeout(), budget, java, jvm == null ? List.of() : jvm.args(),
                jcmdRound);
    }

    /** Asks a java about itself; one that is not a JVM is a LaunchError. */
    public static JavaRuntime probe(Path java) {
        try {
            return JavaRuntime.probe(java);
        } catch (IllegalArgumentException e) {
            throw new LaunchError(e.getMessage());
        }
    }

    /** Each variant's malloc settings as the loader will apply them, and environment.csv's facts. */
    private record Judged(Map<String, List<SettingCheck>> checks, List<Fact> facts) {
    }

    private static Judged judgeVariants(List<RunSpec> plan, Settings s, Origin origin, PrintWriter err)
            throws IOException {
        Map<String, List<SettingCheck>> checks = new LinkedHashMap<>();
        List<Fact> jvmFact = s.java() == null ? List.of() : List.of(new Fact("machine", "jvm_host_java",
                s.java().describe(), "the jvm host's JVM (--java), options: " + String.join(" ", s.jvmArgs())));
        List<Fact> facts = new ArrayList<>(origin.facts(List.of(), jvmFact));
        for (Variant v : distinctVariants(plan)) {
            Map<String, Tunable> loader = LoaderTunables.read(v.envMap());
            List<SettingCheck> c = MallocSettings.check(v.env(), loader);
            checks.put(v.name(), c);
            warnAbout(v, c, err);
            facts.addAll(VariantFacts.of(v, loader, c));
        }
        return new Judged(checks, facts);
    }

    private static Outcome execute(List<RunSpec> plan, ResultsFolder folder, Settings s, Judged judged,
            RunObserver.Factory observers)
            throws IOException {
        ChildRunner runner = (s.java() == null ? new ChildRunner(List.of()) : new ChildRunner(s.java().java(),
                s.jvmArgs())).withTimeout(s.timeout());
        JcmdTrim jcmd = s.java() == null ? null : new JcmdTrim(s.java());
        PlanExecution.JvmChoice choice = new PlanExecution.JvmChoice(s.java() == null ? "" : s.java().describe(),
                s.jcmdRound(), jcmd == null ? null : (pid, round) -> jcmd.trim(pid));
        PlanExecution exec;
        try (folder; RunObserver progress = observers.open(plan.size())) {
            exec = new PlanExecution(folder, runner, judged.checks(), progress, choice);
            if (plan.size() > 1) {
                ParentHeap.shrinkInBackground(); // one run ends before its heap would grow: no cost for `run`
            }
            new Scheduler(s.jobs(), s.budgetKb()).runAll(Job.ofRuns(plan), exec);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchError("interrupted");
        } catch (UncheckedIOException | IOException e) {
            throw new OutputError("cannot write the results in " + folder.dir() + ": " + OutputError.reason(e)
                    + "; the runs finished before are kept: once there is room, complete them with "
                    + "rsslab matrix --resume " + folder.dir(), e);
        }
        List<CsvRow<RunsColumn>> rows = finish(folder);
        int failed = exec.failedRuns();
        if (failed > 0 && folder.replaces() != null) {
            return new Outcome(folder.dir(), rows, plan.size(), failed, folder.replaces());
        }
        return new Outcome(folder.replaceTarget(), rows, plan.size(), failed, null);
    }

    /** The folder's closing rewrite of runs.csv (the baseline comparison); the rows. */
    private static List<CsvRow<RunsColumn>> finish(ResultsFolder folder) {
        try {
            return folder.finish();
        } catch (IOException | UncheckedIOException e) {
            throw new OutputError("cannot rewrite " + folder.dir().resolve(ResultsFolder.RUNS) + " with the "
                    + "comparison against baseline: " + OutputError.reason(e) + "; it holds every run as it was: once there "
                    + "is room, rsslab matrix --resume " + folder.dir() + " adds the comparison", e);
        }
    }

    public static void warnAbout(Variant v, List<SettingCheck> checks, PrintWriter err) {
        for (SettingCheck c : checks) {
            if (!c.applied()) {
                err.println("rsslab: warning: variant " + v.name() + ": " + Text.printable(c.describe()));
            }
        }
        err.flush();
    }

    private static List<Variant> distinctVariants(List<RunSpec> plan) {
        Map<String, Variant> m = new LinkedHashMap<>();
        plan.forEach(s -> m.putIfAbsent(s.variant().name(), s.variant()));
        return List.copyOf(m.values());
    }

    /** --out: a new folder in an existing one; with --overwrite, a results folder (one holding runs.csv) too. */
    private static void checkOut(Options opts) {
        Path out = opts.out();
        if (out == null) {
            return;
        }
        requireParent(out);
        if (Files.exists(out)) {
            if (!opts.overwrite()) {
                throw new LaunchError("--out " + out + " already exists; rsslab never reuses a results folder, "
                        + "choose a new name (or --overwrite to replace a results folder once the new one is complete)");
            }
            if (!ResultsFolder.isResultsFolder(out)) {
                throw new LaunchError("--out " + out + " is not a results folder (no runs.csv); rsslab will not replace it");
            }
        }
    }

    /** --out names a new folder in an existing one: one line, exit 2, before anything starts. */
    static void requireParent(Path out) {
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new LaunchError("--out " + out + ": folder " + parent + " does not exist");
        }
    }

    private static ResultsFolder openFolder(Options opts) {
        Path out = opts.out();
        try {
            if (out == null) {
                return ResultsFolder.createDefault(Path.of("results"));
            }
            if (opts.overwrite() && Files.exists(out)) {
                return ResultsFolder.createReplacing(out);
            }
            return ResultsFolder.create(out);
        } catch (FileAlreadyExistsException e) {
            throw new LaunchError("--out " + out + " already exists; rsslab never reuses a results folder, "
                    + "choose a new name");
        } catch (NoSuchFileException e) {
            throw new LaunchError("cannot create the results folder " + e.getFile() + ": no such folder");
        } catch (IOException e) {
            throw new LaunchError("cannot create the results folder " + (out == null ? "results/" : out) + ": "
                    + e.getMessage());
        }
    }
}
