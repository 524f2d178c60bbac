package io.rsslab.cli;

import java.util.List;

import io.rsslab.machine.MemoryFigures;
import io.rsslab.plan.RunSpec;
import io.rsslab.schedule.Admission;

/**
 * Refuses, before anything starts, a run whose declared peak cannot fit in
 * what this machine can give: a tool against the OOM killer must not summon
 * it by surprise. --force runs it anyway.
 */
final class MemoryGuard {

    private MemoryGuard() {
    }

    /** The budget for the scheduler: what the machine can give less the margin (unlimited with force). */
    static long check(List<RunSpec> plan, boolean force) {
        MemoryFigures memory = MemoryFigures.read();
        long budget = memory.budgetKb();
        if (force) {
            return MemoryFigures.UNLIMITED;
        }
        Admission.neverFits(plan, budget).ifPresent(s -> {
            throw new UserError(s.scenario().name() + " needs " + s.scenario().peakMib() + " MiB at its peak "
                    + "(data/scenarios.csv), but this machine can give " + (budget / 1024) + " MiB ("
                    + memory.describe() + ", less a 10% margin); run a smaller scenario such as article-4, "
                    + "or --force to run it anyway");
        });
        return budget;
    }
}
