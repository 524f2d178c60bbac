package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.launch.PlanLauncher;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.PlanException;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Sweep;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.FolderReport;
import io.rsslab.report.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** rsslab sweep: churn over a grid of parameter values, one child per point, variant and host. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run churn (or a churn scenario file) over every combination of parameter values, one child "
                + "per point, variant and host, into a results folder, and show what was kept against the parameters.",
        footer = {"", "Values: --param size=1M..32M:1M (a range and its step), size=64K..64M:x2 (a factor), "
                + "threads=1,2,4,8 (a list), free=in-order,shuffled (words: a list). More than 10,000 runs (points x "
                + "variants x hosts x repeats) need --force. An interrupted sweep is completed by rsslab matrix "
                + "--resume DIR."})
public final class SweepCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "S",
            description = "churn (default) or a churn scenario file's name (see: rsslab scenarios).")
    String scenario = "churn";

    @Mixin
    ParamOptions param;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless a variant is composed.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--host", paramLabel = "H", split = ",", converter = HostConverter.class,
            description = "Host(s): native (default), thread, jvm.")
    List<Host> hosts = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", description = "Run each point N times (default 1); the table "
            + "shows the median.")
    int repeat = 1;

    @Mixin
    VariantOptions compose;

    @Mixin
    JvmOptions jvm;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        ScenarioCatalog catalog = ScenarioCatalog.load();
        if (catalog.churn(scenario, Map.of()).isEmpty()) {
            throw new UserError("sweep runs churn or a churn scenario file, not '" + scenario + "' (see: rsslab "
                    + "scenarios)");
        }
        Sweep sweep = param.sweep();
        List<Host> hs = hosts.isEmpty() ? List.of(Host.NATIVE) : hosts;
        jvm.requireJvmHost(hs.contains(Host.JVM), "this sweep");
        JavaRuntime java = hs.contains(Host.JVM) ? jvm.runtime() : null;
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), java);
        if (repeat < 1 || repeat > 1000) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 1000)");
        }
        long children;
        try {
            children = Math.multiplyExact(Math.multiplyExact(sweep.size(), (long) vs.size()),
                    (long) new java.util.LinkedHashSet<>(hs).size() * repeat);
        } catch (ArithmeticException e) {
            children = Long.MAX_VALUE;
        }
        Sweep.checkRuns(children, execution.safety.force);
        List<Scenario> points = new ArrayList<>();
        for (Map<String, String> point : sweep.points()) {
            try {
                points.add(catalog.find(scenario, point).orElseThrow());
            } catch (PlanException e) {
                throw new PlanException("at " + point + ": " + e.getMessage());
            }
        }
        List<RunSpec> plan = PlanBuilder.matrix(points, vs, hs, repeat);
        PlanLauncher.Outcome o = PlanLauncher.launch(plan, execution.options(), jvm.choice(), null, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        SweepTable.print(o.runs(), sweep.varying().isEmpty() ? new ArrayList<>(sweep.axes().keySet())
                : sweep.varying(), out);
        FolderReport.close(o.folder(), out, spec.commandLine().getErr());
        return o.reportFailures(spec.commandLine().getErr()) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }
}
