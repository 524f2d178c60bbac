package io.rsslab.results;

/** What a child says before its first round: who it is and its VmRSS before any allocation. */
public record RunStart(String scenario, String host, boolean trim, String glibcVersion, long pid,
        long rssBeforeKb) {
}
