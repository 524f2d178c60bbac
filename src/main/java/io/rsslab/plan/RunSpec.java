package io.rsslab.plan;

/** One planned run: a scenario, in a host, started as a variant; one fresh child. */
public record RunSpec(String runId, Scenario scenario, Host host, Variant variant, boolean seedFormat) {
}
