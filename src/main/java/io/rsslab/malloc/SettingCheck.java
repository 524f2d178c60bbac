package io.rsslab.malloc;

/**
 * One malloc setting a variant asks for, and what glibc will really do
 * with it. status: applied, ignored (the loader did not take it),
 * rejected (taken by the loader, refused by malloc), unknown (no such
 * tunable in this glibc).
 */
public record SettingCheck(String requested, String tunable, String status, String effective, String note) {

    public boolean applied() {
        return "applied".equals(status);
    }

    /** e.g. "MALLOC_TRIM_THRESHOLD_=131072 applied (glibc.malloc.trim_threshold=0x20000)". */
    public String describe() {
        String eff = tunable.isEmpty() ? "" : " (" + tunable + (effective.isEmpty() ? "" : "=" + effective) + ")";
        return requested + " " + status + eff + (note.isEmpty() ? "" : ": " + note);
    }
}
