package io.rsslab.launch;

import java.util.List;
import java.util.Optional;

import io.rsslab.plan.RunSpec;

/**
 * The scheduler's rules, free of threads and of the machine so they can be
 * tested with made-up figures: at most jobs children at once, and the
 * declared peaks of the running children plus the candidate's within the
 * budget (what the machine can give, less the margin).
 */
public final class Admission {

    private Admission() {
    }

    public static long peakKb(RunSpec spec) {
        return spec.scenario().peakMib() * 1024;
    }

    /** May a run with peak candidateKb start while running children have declared runningKb? */
    public static boolean admits(int running, long runningKb, long candidateKb, int jobs, long budgetKb) {
        return running < jobs && runningKb + candidateKb <= budgetKb;
    }

    /** The first run that can never fit, even alone. */
    public static Optional<RunSpec> neverFits(List<RunSpec> plan, long budgetKb) {
        return plan.stream().filter(s -> peakKb(s) > budgetKb).findFirst();
    }
}
