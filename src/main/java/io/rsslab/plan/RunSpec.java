package io.rsslab.plan;

/** One planned run: a scenario, in a host, started as a variant, the repeat-th time; one fresh child. */
public record RunSpec(String runId, Scenario scenario, Host host, Variant variant, int repeat, boolean seedFormat) {

    /** The run's estimated wall time, for longest-first scheduling. */
    public double estimatedSeconds() {
        return scenario.typicalSeconds() * variant.relativeTime() + (host == Host.JVM ? 1 : 0);
    }
}
