package io.rsslab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rsslab.plan.Churn;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.TraceScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** rsslab scenarios: the catalog, one line each. */
@Command(name = "scenarios", mixinStandardHelpOptions = true,
        description = "List the scenarios: the article's (data/scenarios.csv), churn's parameters and its scenario "
                + "files (data/scenarios/), and traces.")
public final class ScenariosCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-10s %9s %8s  %s%n", "scenario", "peak", "typical", "description");
        ScenarioCatalog catalog = ScenarioCatalog.load();
        for (Scenario s : catalog.all()) {
            out.printf("%-10s %5d MiB %6.0f s  %s%n", s.name(), s.peakMib(), s.typicalSeconds(), s.description());
        }
        out.println("(peak and typical time: data/scenarios.csv, where the source column says how they were measured)");
        out.println();
        out.println("churn: the article's loop with its constants as parameters (--param NAME=VALUE on run, matrix, "
                + "hosts; ranges and lists on rsslab sweep). Its peak is computed from the parameters.");
        out.printf("  %-13s %-9s  %s%n", "parameter", "default", "meaning");
        for (Churn.Param p : Churn.PARAMS) {
            out.printf("  %-13s %-9s  %s%n", p.name(), p.defaultValue(), p.help());
        }
        out.println();
        out.println("churn scenario files (data/scenarios/NAME.properties; --param overrides their values):");
        for (ScenarioCatalog.ChurnFile f : catalog.churnFiles()) {
            Scenario s = f.churn(java.util.Map.of()).scenario();
            out.printf("%-18s %5d MiB %6.1f s  %s%n", f.name(), s.peakMib(), s.typicalSeconds(), f.description());
            StringBuilder b = new StringBuilder();
            f.params().forEach((k, v) -> b.append(' ').append(k).append('=').append(v));
            out.println("                   " + b.toString().trim());
        }
        out.println();
        out.println("trace:FILE: a trace written by rsslab record, replayed in " + TraceScenario.ROUNDS + " rounds of "
                + "equal numbers of calls (native and thread hosts; its peak: the trace's peak of live bytes + 16 MiB)");
        out.flush();
        return ExitCodes.OK;
    }
}
