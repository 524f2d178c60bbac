package io.rsslab.plan;

/** One planned run: a scenario, in a host, started as a variant, the repeat-th time; one fresh child. */
public record RunSpec(String runId, Scenario scenario, Host host, Variant variant, int repeat, boolean seedFormat) {

    /** A trace replays in the probe, and has no article's output to imitate. */
    public RunSpec {
        if (TraceScenario.is(scenario) && host == Host.JVM) {
            throw new PlanException("scenario " + scenario.name() + " replays in the probe: --host native or thread, "
                    + "not jvm");
        }
        if (Churn.is(scenario) && seedFormat) {
            throw new PlanException("--format seed is the article's program; a churn scenario has no such output");
        }
        if (TraceScenario.is(scenario) && seedFormat) {
            throw new PlanException("--format seed is the article's program; a trace has no such output");
        }
    }

    /** The run's estimated wall time, for longest-first scheduling. */
    public double estimatedSeconds() {
        return scenario.typicalSeconds() * variant.relativeTime() + (host == Host.JVM ? 1 : 0);
    }
}
