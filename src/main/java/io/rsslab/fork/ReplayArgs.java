package io.rsslab.fork;

import java.util.ArrayList;
import java.util.List;

/**
 * The replayer's arguments, one owner on each side: produced here, parsed by
 * the same rules in C (replay_args_parse, src/main/c/child_args.c):
 *
 *   --replay TRACE [--threads recorded|1] [--sample-every N] [--thread]
 *
 * TRACE first, not beginning with '-'; each option at most once; N a
 * decimal integer, at least 1.
 */
public record ReplayArgs(String trace, boolean oneThread, long sampleEvery, boolean thread) {

    public ReplayArgs {
        if (trace.isEmpty() || trace.startsWith("-")) {
            throw new IllegalArgumentException("--replay needs a trace file");
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("--sample-every needs a whole number of calls, at least 1");
        }
    }

    /** The probe's arguments after its path. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--replay", trace, "--threads", oneThread ? "1" : "recorded",
                "--sample-every", Long.toString(sampleEvery)));
        if (thread) {
            a.add("--thread");
        }
        return a;
    }
}
