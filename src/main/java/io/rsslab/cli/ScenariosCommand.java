package io.rsslab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.TraceScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** rsslab scenarios: the catalog, one line each. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "List the scenarios with their peak memory and typical time (from data/scenarios.csv).")
public final class ScenariosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-10s %9s %8s  %s%n", "scenario", "peak", "typical", "description");
        for (Scenario s : ScenarioCatalog.load().all()) {
            out.printf("%-10s %5d MiB %6.0f s  %s%n", s.name(), s.peakMib(), s.typicalSeconds(), s.description());
        }
        out.println("(peak and typical time: data/scenarios.csv, where the source column says how they were measured)");
        out.println("trace:FILE: a trace written by rsslab record, replayed in " + TraceScenario.ROUNDS + " rounds of "
                + "equal numbers of calls (native and thread hosts; its peak: the trace's peak of live bytes + 16 MiB)");
        out.flush();
        return ExitCodes.OK;
    }
}
