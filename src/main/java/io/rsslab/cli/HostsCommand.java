package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
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
import io.rsslab.report.FolderReport;
import io.rsslab.report.HostsTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab hosts: one scenario and variant on native, thread and jvm, side by side. */
@Command(name = "hosts", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run one scenario and variant on the native, thread and jvm hosts and show them side by side.")
public final class HostsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "article-1, article-4, churn, a churn scenario file or trace:FILE (see: rsslab scenarios).")
    String scenarioName;

    @Mixin
    ParamOptions param;

    @Option(names = "--variant", paramLabel = "V", description = "A catalog variant (default baseline).")
    String variantName = "baseline";

    @Mixin
    VariantOptions compose;

    @Mixin
    JvmOptions jvm;

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        Scenario s = PlanBuilder.scenarios(ScenarioCatalog.load(), List.of(scenarioName), param.single()).get(0);
        JavaRuntime java = jvm.runtime();
        Variant v = compose.resolve(variantName, java);
        if (v.jvmOnly()) {
            throw new UserError("variant " + v.name() + " applies to the jvm host only; hosts compares all three "
                    + "(use: rsslab matrix --host jvm)");
        }
        List<RunSpec> plan = PlanBuilder.matrix(List.of(s), List.of(v), List.of(Host.NATIVE, Host.THREAD, Host.JVM), 1);
        PlanLauncher.Outcome o = PlanLauncher.launch(plan, execution.options(), jvm.choice(), null, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s, variant %s%n", s.name(), v.name());
        HostsTable.print(o.folder(), o.runs(), out);
        FolderReport.close(o.folder(), out, spec.commandLine().getErr());
        return o.reportFailures(spec.commandLine().getErr()) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }
}
