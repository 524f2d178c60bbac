package io.rsslab.fork;

import java.util.ArrayList;
import java.util.List;

/**
 * The replayer's arguments, one owner on each side: produced here, parsed by
 * the same rules in C (replay_args_parse, src/main/c/child_args.c):
 *
 *   --replay TRACE [--threads recorded|1] [--sample-every N] [--thread]
 *            [--timing recorded|back-to-back] [--speed X]
 *
 * TRACE first, not beginning with '-'; each option at most once; N a
 * decimal integer, at least 1; X from 0.001 to 1000000, only with
 * --timing recorded (written only when not 1).
 */
public record ReplayArgs(String trace, boolean oneThread, long sampleEvery, boolean thread, boolean timingRecorded,
        double speed) {

    public static final double MIN_SPEED = 0.001;
    public static final double MAX_SPEED = 1_000_000;

    public ReplayArgs {
        if (trace.isEmpty() || trace.startsWith("-")) {
            throw new IllegalArgumentException("--replay needs a trace file");
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("--sample-every needs a whole number of calls, at least 1");
        }
        if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) {
            throw new IllegalArgumentException("--speed needs a number from 0.001 to 1000000");
        }
        if (speed != 1 && !timingRecorded) {
            throw new IllegalArgumentException("--speed goes with --timing recorded");
        }
    }

    /** Back-to-back, as fast as the calls go. */
    public ReplayArgs(String trace, boolean oneThread, long sampleEvery, boolean thread) {
        this(trace, oneThread, sampleEvery, thread, false, 1);
    }

    /** The probe's arguments after its path. */
    public List<String> toArgs() {
        List<String> a = new ArrayList<>(List.of("--replay", trace, "--threads", oneThread ? "1" : "recorded",
                "--sample-every", Long.toString(sampleEvery)));
        if (thread) {
            a.add("--thread");
        }
        a.addAll(List.of("--timing", timingRecorded ? "recorded" : "back-to-back"));
        if (speed != 1) {
            a.addAll(List.of("--speed", Double.toString(speed)));
        }
        return a;
    }
}
