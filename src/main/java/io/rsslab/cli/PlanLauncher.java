package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rsslab.fork.ChildCommand;
import io.rsslab.fork.ChildRunner;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MachineFacts;
import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.malloc.Tunable;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Variant;
import io.rsslab.report.Progress;
import io.rsslab.report.Terminal;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.results.BaselineComparison;
import io.rsslab.results.PlanCsv;
import io.rsslab.results.ResultsFolder;
import io.rsslab.schedule.PlanExecution;
import io.rsslab.schedule.Scheduler;

/**
 * Runs a plan: refuses what can never fit, reads back each variant's
 * malloc settings, creates the results folder, schedules the children.
 */
final class PlanLauncher {

    record Outcome(Path folder, int runs, int failed) {
    }

    private PlanLauncher() {
    }

    static Outcome launch(List<RunSpec> plan, ExecutionOptions opts, PrintWriter err) throws IOException {
        return launch(plan, opts, null, null, err);
    }

    /** jvm: the jvm host's JVM and options (null: the running one); jcmdRound: null for each scenario's last. */
    static Outcome launch(List<RunSpec> plan, ExecutionOptions opts, JvmOptions jvm, Integer jcmdRound,
            PrintWriter err) throws IOException {
        return run(plan, opts, jvm, jcmdRound, err, null);
    }

    /** Completes a results folder: runs the planned runs that have no row in its runs.csv. */
    static Outcome resume(Path dir, ExecutionOptions opts, JvmOptions jvm, Integer jcmdRound, PrintWriter err)
            throws IOException {
        ResultsFolder.Resumed resumed;
        List<RunSpec> missing;
        try {
            resumed = ResultsFolder.resume(dir);
            missing = PlanCsv.read(dir.resolve("plan.csv"), ScenarioCatalog.load()).stream()
                    .filter(s -> !resumed.finished().contains(s.runId())).toList();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (missing.isEmpty()) {
            resumed.folder().close();
            return new Outcome(dir, 0, 0);
        }
        return run(missing, opts, jvm, jcmdRound, err, resumed.folder());
    }

    /** resumed: an existing folder to append to, or null for a new one. */
    private static Outcome run(List<RunSpec> plan, ExecutionOptions opts, JvmOptions jvm, Integer jcmdRound,
            PrintWriter err, ResultsFolder resumed) throws IOException {
        int jobs = opts.jobs();
        long budget = MemoryGuard.check(plan, opts.safety.force);
        Map<String, List<SettingCheck>> settings = new LinkedHashMap<>();
        List<Fact> facts = new ArrayList<>(MachineFacts.collect(ChildCommand.javaCommandDescription()));
        boolean jvmHost = plan.stream().anyMatch(s -> s.host() == Host.JVM);
        JavaRuntime java = jvmHost ? (jvm == null ? JavaRuntime.probe(JavaRuntime.current()) : jvm.runtime()) : null;
        List<String> jvmArgs = jvm == null ? List.of() : jvm.args();
        if (java != null) {
            facts.add(new Fact("machine", "jvm_host_java", java.describe(), "the jvm host's JVM (--java), "
                    + "options: " + String.join(" ", jvmArgs)));
        }
        for (Variant v : distinctVariants(plan)) {
            Map<String, Tunable> loader = LoaderTunables.read(v.envMap());
            List<SettingCheck> checks = MallocSettings.check(v.env(), loader);
            settings.put(v.name(), checks);
            warnAbout(v, checks, err);
            facts.addAll(VariantFacts.of(v, loader, checks));
        }
        if (resumed == null && opts.overwrite && opts.out != null) {
            removeResultsFolder(opts.out);
        }
        try (ResultsFolder folder = resumed != null ? resumed : createFolder(opts.out)) {
            if (resumed == null) {
                folder.writeEnvironment(facts);
                PlanCsv.write(folder.dir().resolve("plan.csv"), plan);
            }
            Progress progress = Progress.choose(opts.quiet, Terminal.stderr(), plan.size(), System.err);
            ChildRunner runner = (java == null ? new ChildRunner(List.of()) : new ChildRunner(java.java(), jvmArgs))
                    .withTimeout(opts.safety.timeout());
            PlanExecution.JvmChoice choice = new PlanExecution.JvmChoice(java == null ? "" : java.describe(),
                    jcmdRound, java == null ? null : new JcmdTrim(java));
            PlanExecution exec = new PlanExecution(folder, runner, settings, progress, choice);
            try (progress) {
                new Scheduler(jobs, budget).runAll(plan, exec);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UserError("interrupted");
            }
            folder.close();
            BaselineComparison.apply(folder.dir().resolve("runs.csv"));
            return new Outcome(folder.dir(), plan.size(), exec.failedRuns());
        }
    }

    static void warnAbout(Variant v, List<SettingCheck> checks, PrintWriter err) {
        for (SettingCheck c : checks) {
            if (!c.applied()) {
                err.println("rsslab: warning: variant " + v.name() + ": " + c.describe());
            }
        }
        err.flush();
    }

    private static List<Variant> distinctVariants(List<RunSpec> plan) {
        Map<String, Variant> m = new LinkedHashMap<>();
        plan.forEach(s -> m.putIfAbsent(s.variant().name(), s.variant()));
        return List.copyOf(m.values());
    }

    /** --overwrite: only a results folder (one holding runs.csv) is deleted, never anything else. */
    static void removeResultsFolder(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isRegularFile(dir.resolve("runs.csv"))) {
            throw new UserError("--out " + dir + " is not a results folder (no runs.csv); rsslab will not replace it");
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UserError("cannot replace " + dir + ": " + e.getMessage());
        }
    }

    private static ResultsFolder createFolder(Path out) {
        try {
            if (out == null) {
                return ResultsFolder.createDefault(Path.of("results"));
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new UserError("--out " + out + ": folder " + parent + " does not exist");
            }
            return ResultsFolder.create(out);
        } catch (FileAlreadyExistsException e) {
            throw new UserError("--out " + out + " already exists; rsslab never reuses a results folder, "
                    + "choose a new name");
        } catch (NoSuchFileException e) {
            throw new UserError("cannot create the results folder " + e.getFile() + ": no such folder");
        } catch (IOException e) {
            throw new UserError("cannot create the results folder " + (out == null ? "results/" : out) + ": "
                    + e.getMessage());
        }
    }
}
