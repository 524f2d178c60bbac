package io.rsslab.run;

import java.util.List;

/**
 * How a child ended. failure is null when the child exited 0 and its output
 * validated; otherwise one sentence saying what went wrong. reaped is the
 * kernel's accounting of the finished child, or null if the reaper itself
 * was killed before it could report.
 */
public record ChildResult(int exitValue, double wallSeconds, Reaped reaped, String failure, List<String> stderrTail) {

    public boolean ok() {
        return failure == null;
    }

    /** The signal that ended the child, or 0. */
    public int signal() {
        return reaped != null && reaped.signaled() ? reaped.code() : 0;
    }

    /** The child's own exit code, or -1 if a signal ended it. */
    public int exitCode() {
        return reaped != null ? (reaped.signaled() ? -1 : reaped.code()) : exitValue;
    }
}
