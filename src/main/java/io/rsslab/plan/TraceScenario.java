package io.rsslab.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;

/**
 * A trace from rsslab record as a scenario of run, matrix and hosts
 * ("trace:PATH"): replayed by the probe (src/main/c/replay.c,
 * replay_rounds) with its calls cut into ROUNDS rounds of equal numbers of
 * calls ("after the allocations" where a round's live bytes peak, "after the
 * frees" at its end). Only a whole trace (its END record last) is a
 * scenario; a cut one replays with rsslab replay.
 */
public final class TraceScenario {

    public static final String PREFIX = "trace:";
    /** = REPLAY_ROUNDS in src/main/c/replay.h. */
    public static final int ROUNDS = 20;
    /** The replayer's own VmRSS, and a margin for what the allocator keeps, on top of the peak of live bytes. */
    private static final long MARGIN_MIB = 16;

    private TraceScenario() {
    }

    public static boolean is(String name) {
        return name.startsWith(PREFIX);
    }

    public static boolean is(Scenario s) {
        return is(s.name());
    }

    /** The scenario of "trace:PATH"; its name holds the absolute path, so that --resume finds it anywhere. */
    public static Scenario of(String name) {
        String given = name.substring(PREFIX.length());
        if (given.isEmpty()) {
            throw new PlanException("scenario trace: needs a trace file, e.g. --scenario trace:app.trace");
        }
        Path file = Path.of(given).toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new PlanException("scenario " + name + ": " + (Files.exists(file) ? "not a regular file"
                    : "no such file"));
        }
        TraceFile.Shape shape;
        try {
            shape = TraceFile.shape(file);
        } catch (TraceException e) {
            throw new PlanException("scenario " + name + ": " + e.getMessage());
        }
        if (shape.end() == null || shape.calls() < 1) {
            throw new PlanException("scenario " + name + ": not a whole trace (cut short, or without calls); "
                    + "rsslab replay replays it up to its last whole record");
        }
        long calls = shape.calls();
        int rounds = (int) Math.min(ROUNDS, calls);
        long peakMib = (shape.end().ptr() >> 20) + 1 + MARGIN_MIB;
        return new Scenario(PREFIX + file, String.format(Locale.ROOT, "the %,d malloc calls of %s (rsslab "
                + "record), replayed in %d rounds", calls, shape.header().getOrDefault("command", "?"), rounds), 1,
                rounds, (int) Math.min(Integer.MAX_VALUE, (calls + rounds - 1) / rounds), peakMib, calls / 1e7 + 0.05,
                file.toString());
    }
}
