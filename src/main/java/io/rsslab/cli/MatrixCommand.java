package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunIds;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.RunsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** rsslab matrix: every scenario x variant x host (x repeat), each in its own fresh child. */
@Command(name = "matrix", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run every combination of scenarios, variants and hosts, each in a fresh child, "
                + "into a results folder.")
public final class MatrixCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "S", split = ",",
            description = "Scenario(s): repeat the option or separate with commas (required unless --resume).")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Complete an interrupted matrix: run the planned runs that DIR's runs.csv lacks.")
    java.nio.file.Path resume;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless a variant is composed.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--host", paramLabel = "H", split = ",", converter = RunCommand.HostConverter.class,
            description = "Host(s): native (default), thread, jvm.")
    List<Host> hosts = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", description = "Run each combination N times (default 1).")
    int repeat = 1;

    @Mixin
    VariantOptions compose;

    @Mixin
    JvmOptions jvm;

    @Mixin
    JcmdOptions jcmd;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() throws IOException {
        requireSupportedPlatform();
        if (resume != null) {
            if (!scenarios.isEmpty() || !variants.isEmpty() || !hosts.isEmpty() || compose.composes()) {
                throw new UserError("--resume takes the plan from " + resume + "; give no --scenario, --variant, "
                        + "--host or variant options with it");
            }
            PlanLauncher.Outcome o = PlanLauncher.resume(resume, execution, jvm, jcmd.round,
                    spec.commandLine().getErr());
            if (o.runs() == 0) {
                spec.commandLine().getOut().println("nothing to resume: every planned run of " + resume
                        + " has finished");
                spec.commandLine().getOut().flush();
                return ExitCodes.OK;
            }
            return finish(o, spec.commandLine());
        }
        if (scenarios.isEmpty()) {
            throw new UserError("give --scenario (or --resume DIR)");
        }
        if (repeat < 1 || repeat > 1000) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 1000)");
        }
        List<Scenario> sc = scenarios(ScenarioCatalog.load(), scenarios);
        List<Host> hs = hosts.isEmpty() ? List.of(Host.NATIVE) : List.copyOf(new LinkedHashSet<>(hosts));
        JavaRuntime java = hs.contains(Host.JVM) ? jvm.runtime() : null;
        List<Variant> vs = variants(VariantCatalog.load(), variants, compose, java);
        checkJcmdRound(jcmd.round, sc);
        List<RunSpec> plan = new ArrayList<>();
        for (Scenario s : sc) {
            for (Variant v : vs) {
                for (Host h : hs) {
                    if (v.jvmOnly() && h != Host.JVM) {
                        continue;
                    }
                    for (int r = 1; r <= repeat; r++) {
                        plan.add(new RunSpec(RunIds.next(s, h), s, h, v, r, false));
                    }
                }
            }
        }
        if (plan.isEmpty()) {
            throw new UserError("nothing to run: the variants given apply to the jvm host only (add --host jvm)");
        }
        return finish(PlanLauncher.launch(plan, execution, jvm, jcmd.round, spec.commandLine().getErr()),
                spec.commandLine());
    }

    static int finish(PlanLauncher.Outcome o, picocli.CommandLine cl) throws IOException {
        PrintWriter out = cl.getOut();
        RunsTable.print(o.folder().resolve("runs.csv"), out);
        out.println("results: " + o.folder());
        out.flush();
        return failedRuns(o, cl) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }

    /** Says how many runs failed, if any; true if some did. */
    static boolean failedRuns(PlanLauncher.Outcome o, picocli.CommandLine cl) {
        if (o.failed() == 0) {
            return false;
        }
        cl.getErr().println("rsslab: " + o.failed() + " of " + o.runs() + " runs failed (see runs.csv)");
        cl.getErr().flush();
        return true;
    }

    static void requireSupportedPlatform() {
        Platform.requireSupported();
    }

    static List<Scenario> scenarios(ScenarioCatalog catalog, List<String> names) {
        Set<String> seen = new LinkedHashSet<>(names);
        List<Scenario> out = new ArrayList<>();
        for (String n : seen) {
            out.add(catalog.find(n).orElseThrow(() -> new UserError(
                    "unknown scenario '" + n + "' (known: " + String.join(", ", catalog.names()) + ")")));
        }
        return out;
    }

    static void checkJcmdRound(Integer round, List<Scenario> scenarios) {
        if (round == null) {
            return;
        }
        for (Scenario s : scenarios) {
            if (round < s.firstRound() || round > s.lastRound()) {
                throw new UserError("--jcmd-round " + round + " is not a round of " + s.name() + " ("
                        + s.firstRound() + " to " + s.lastRound() + ")");
            }
        }
    }

    /** The catalog variants named, plus the composed one; baseline when neither. java: the jvm host's, or null. */
    static List<Variant> variants(VariantCatalog catalog, List<String> names, VariantOptions compose,
            JavaRuntime java) {
        List<Variant> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            out.add(catalogVariant(catalog, n, java));
        }
        if (compose.composes()) {
            Variant v = compose.composeOn(Variant.BASELINE, catalog);
            if (out.stream().anyMatch(x -> x.name().equals(v.name()))) {
                throw new UserError("the composed variant is named '" + v.name()
                        + "' like a catalog variant in this matrix; name it with --label");
            }
            out.add(v);
        }
        if (out.isEmpty()) {
            out.add(catalogVariant(catalog, "baseline"));
        }
        return out;
    }

    static Variant catalogVariant(VariantCatalog catalog, String name) {
        return catalogVariant(catalog, name, null);
    }

    static Variant catalogVariant(VariantCatalog catalog, String name, JavaRuntime java) {
        VariantCatalog.Entry e = catalog.find(name).orElseThrow(() -> new UserError(
                "unknown variant '" + name + "' (see: rsslab variants)"));
        String why = catalog.unavailableReason(e, java);
        if (why != null) {
            throw new UserError("variant " + name + " is not available here: " + why);
        }
        if (e.variant().jcmdTrim() && java != null && !new JcmdTrim(java).available()) {
            throw new UserError("variant " + name + " is not available here: no jcmd beside " + java.java());
        }
        return catalog.resolved(e, java);
    }
}
