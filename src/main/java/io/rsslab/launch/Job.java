package io.rsslab.launch;

import java.util.List;

import io.rsslab.plan.RunSpec;

/**
 * What the scheduler admits: any command's unit of work (a planned run, a
 * try of the user's command, a replay), known by its id, the memory it
 * declares at its peak and its expected time.
 */
public record Job<T>(String id, long peakKb, double expectedSeconds, T work) {

    /** A planned run: its scenario's declared peak (data/scenarios.csv) and estimated time. */
    public static Job<RunSpec> of(RunSpec spec) {
        return new Job<>(spec.runId(), Admission.peakKb(spec), spec.estimatedSeconds(), spec);
    }

    public static List<Job<RunSpec>> ofRuns(List<RunSpec> plan) {
        return plan.stream().map(Job::of).toList();
    }
}
