package io.rsslab.run;

/**
 * What a child says before its first round: who it is, which allocator
 * serves malloc ("glibc", "other", or "unknown" without explain), and its
 * VmRSS and RssAnon before any allocation.
 */
public record RunStart(String scenario, String host, boolean trim, String glibcVersion, long pid,
        long rssBeforeKb, String allocator, long rssAnonBeforeKb) {

    public RunStart(String scenario, String host, boolean trim, String glibcVersion, long pid, long rssBeforeKb) {
        this(scenario, host, trim, glibcVersion, pid, rssBeforeKb, "unknown", -1);
    }

    public boolean glibcMalloc() {
        return "glibc".equals(allocator);
    }
}
