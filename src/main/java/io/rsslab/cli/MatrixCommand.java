package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.launch.PlanLauncher;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.FolderReport;
import io.rsslab.report.RunsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
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

    @Mixin
    ParamOptions param;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Complete an interrupted matrix: run the planned runs that DIR's runs.csv lacks.")
    Path resume;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless a variant is composed.")
    List<String> variants = new ArrayList<>();

    @Option(names = "--host", paramLabel = "H", split = ",", converter = HostConverter.class,
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
        Platform.requireSupported();
        PrintWriter out = spec.commandLine().getOut();
        if (resume != null) {
            List<String> planning = List.of("--scenario", "--param", "--variant", "--host", "--repeat", "--env", "--preload",
                    "--trim", "--label", "--java", "--jvm-arg", "--jcmd-round", "--out", "--overwrite");
            ParseResult parsed = spec.commandLine().getParseResult();
            for (String option : planning) {
                if (parsed.hasMatchedOption(option)) {
                    throw new UserError("--resume takes the plan from " + resume + "/plan.csv; " + option
                            + " would change it (give only --jobs, --quiet, --timeout or --force with --resume)");
                }
            }
            PlanLauncher.Outcome o = PlanLauncher.resume(resume, execution.options(), spec.commandLine().getErr());
            if (o.planned() == 0) {
                out.println("nothing to resume: every planned run of " + resume + " has finished");
                Path html = Files.exists(resume.resolve("report")) ? null
                        : FolderReport.afterRuns(resume, spec.commandLine().getErr());
                if (html != null) {
                    out.println("report: " + html);
                }
                out.flush();
                return ExitCodes.OK;
            }
            return finish(o);
        }
        if (scenarios.isEmpty()) {
            throw new UserError("give --scenario (or --resume DIR)");
        }
        List<Scenario> sc = PlanBuilder.scenarios(ScenarioCatalog.load(), scenarios, param.single());
        List<Host> hs = hosts.isEmpty() ? List.of(Host.NATIVE) : hosts;
        jvm.requireJvmHost(hs.contains(Host.JVM), "this matrix");
        JavaRuntime java = hs.contains(Host.JVM) ? jvm.runtime() : null;
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), java);
        jcmd.requireJcmdVariant(vs);
        PlanBuilder.checkJcmdRound(jcmd.round, sc);
        List<RunSpec> plan = PlanBuilder.matrix(sc, vs, hs, repeat);
        return finish(PlanLauncher.launch(plan, execution.options(), jvm.choice(), jcmd.round, spec.commandLine().getErr()));
    }

    private int finish(PlanLauncher.Outcome o) {
        PrintWriter out = spec.commandLine().getOut();
        RunsTable.print(o.runs(), out);
        FolderReport.close(o.folder(), out, spec.commandLine().getErr());
        return o.reportFailures(spec.commandLine().getErr()) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }
}
