package io.rsslab.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TracePeak;

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
    public static final long MARGIN_MIB = 16;

    /** What a replay of the trace needs at its peak: the live bytes its calls requested, and the margin. */
    public static long neededMib(TracePeak peak) {
        return peak.peakLiveMib() + MARGIN_MIB;
    }

    private TraceScenario() {
    }

    /** Where a description says what the trace lacks (see {@link #incomplete(Scenario)}). */
    private static final String INCOMPLETE = "; the trace is ";

    /**
     * Why a trace scenario's trace does not hold all its program's calls (TraceFile.Shape.incomplete), or
     * null: a whole trace, or not a trace scenario.
     */
    public static String incomplete(Scenario s) {
        int at = is(s) ? s.description().indexOf(INCOMPLETE) : -1;
        return at < 0 ? null : s.description().substring(at + INCOMPLETE.length());
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
        TracePeak peak;
        try {
            shape = TraceFile.shape(file);
            if (shape.end() == null) {
                throw new PlanException("scenario " + name + ": not a whole trace (cut short)");
            }
            // The peak from the calls, not the one END declares: that is what the memory guard must see.
            peak = TracePeak.of(file);
            if (peak.calls() < 1) {
                throw new PlanException("scenario " + name + ": not a whole trace (no calls)");
            }
        } catch (TraceException e) {
            throw new PlanException("scenario " + name + ": " + e.getMessage());
        }
        long calls = peak.calls();
        int rounds = (int) Math.min(ROUNDS, calls);
        long peakMib = neededMib(peak);
        String incomplete = shape.incomplete();
        return new Scenario(PREFIX + file, String.format(Locale.ROOT, "the %,d malloc calls of %s (rsslab "
                + "record), replayed in %d rounds%s", calls, shape.header().getOrDefault("command", "?"), rounds,
                incomplete == null ? "" : INCOMPLETE + incomplete), 1,
                rounds, (int) Math.min(Integer.MAX_VALUE, (calls + rounds - 1) / rounds), peakMib, calls / 1e7 + 0.05,
                file.toString());
    }
}
