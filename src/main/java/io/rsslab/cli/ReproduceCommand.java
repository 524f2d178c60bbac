package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
import io.rsslab.report.ReproduceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** rsslab reproduce: the article's six runs on this machine, beside the article's figures. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the article's six runs (article-1 and article-4: baseline, trim, the article's pair) "
                + "on the native host and compare them with the article's figures.")
public final class ReproduceCommand implements Callable<Integer> {

    /** The article's three commands, as catalog variants. */
    static final List<String> ARTICLE_VARIANTS = List.of("baseline", "trim", "article-pair");

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "S", split = ",",
            description = "Only these scenarios (default: article-1 and article-4); article-4 alone takes seconds.")
    List<String> only = new ArrayList<>();

    @Mixin
    ExecutionOptions execution;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        ScenarioCatalog scenarios = ScenarioCatalog.load();
        List<Scenario> sc = PlanBuilder.scenarios(scenarios, only.isEmpty() ? scenarios.names() : only);
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), ARTICLE_VARIANTS, null, null);
        List<RunSpec> plan = PlanBuilder.matrix(sc, vs, List.of(Host.NATIVE), 1);
        PlanLauncher.Outcome o = PlanLauncher.launch(plan, execution.options(), null, null, spec.commandLine().getErr());
        PrintWriter out = spec.commandLine().getOut();
        List<ReproduceReport.Verdict> verdicts = ReproduceReport.write(o.folder(), out);
        FolderReport.close(o.folder(), out, spec.commandLine().getErr());
        if (o.reportFailures(spec.commandLine().getErr())) {
            return ExitCodes.RUN_FAILED;
        }
        return verdicts.stream().allMatch(ReproduceReport.Verdict::reproduced) ? ExitCodes.OK : ExitCodes.NOT_REPRODUCED;
    }
}
