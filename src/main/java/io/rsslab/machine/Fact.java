package io.rsslab.machine;

/** One row of environment.csv. */
public record Fact(String section, String name, String value, String note) {
}
