package io.rsslab.plan;

/**
 * One of the article's programs as the catalog (data/scenarios.csv) declares
 * it. The loop itself lives in the C core; this is what the parent needs to
 * plan and to validate a child's records.
 */
public record Scenario(String name, String description, int firstRound, int lastRound,
        int allocationsPerRound, long peakMib, double typicalSeconds, String source) {

    public int rounds() {
        return lastRound - firstRound + 1;
    }
}
