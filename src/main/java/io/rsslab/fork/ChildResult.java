package io.rsslab.fork;

import java.util.List;

/**
 * How a child ended. failure is null when the child exited 0 and its output
 * validated; otherwise one sentence saying what went wrong.
 */
public record ChildResult(int exitValue, double wallSeconds, String failure, List<String> stderrTail) {

    public boolean ok() {
        return failure == null;
    }
}
