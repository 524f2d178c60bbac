package io.rsslab.launch;

import java.util.List;

import io.rsslab.machine.MemoryFigures;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.TraceScenario;

/**
 * Refuses, before anything starts, a run whose declared peak cannot fit in
 * what this machine can give: a tool against the OOM killer must not summon
 * it by surprise. --force runs it anyway.
 */
public final class MemoryGuard {

    private MemoryGuard() {
    }

    /** The budget for the scheduler: what the machine can give less the margin (unlimited with force). */
    public static long check(List<RunSpec> plan, boolean force) {
        MemoryFigures memory = MemoryFigures.read();
        long budget = memory.budgetKb();
        if (force) {
            return MemoryFigures.UNLIMITED;
        }
        Admission.neverFits(plan, budget).ifPresent(s -> {
            String smaller = ScenarioCatalog.load().all().stream()
                    .filter(o -> o.peakMib() * 1024 <= budget && o.peakMib() < s.scenario().peakMib())
                    .map(Scenario::name).findFirst().map(n -> "run a smaller scenario such as " + n + ", or ")
                    .orElse("");
            // A trace's peak is computed from its calls (TraceScenario), a catalog scenario's is declared.
            String whence = TraceScenario.is(s.scenario()) ? "the live bytes its calls hold, plus "
                    + TraceScenario.MARGIN_MIB + " MiB" : "data/scenarios.csv";
            throw new LaunchError(s.scenario().name() + " needs " + s.scenario().peakMib() + " MiB at its peak "
                    + "(" + whence + "), but this machine can give " + MemoryFigures.size(budget) + " ("
                    + memory.describe() + ", less a 10% margin); " + smaller + "--force to run it anyway");
        });
        return budget;
    }
}
