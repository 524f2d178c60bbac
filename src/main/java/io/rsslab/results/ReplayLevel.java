package io.rsslab.results;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.rsslab.data.CsvRow;

/**
 * How far a replay's VmRSS lies from the recorded program's own (the
 * recorder's samples, trace version 2): the replay writes every page of every
 * block it is given, the program may have written fewer, so the replay's level
 * runs above the program's (issue 21: up to 18% at the peak).
 */
public final class ReplayLevel {

    private ReplayLevel() {
    }

    /** One line for the replays' table, or null when the trace holds no sample of the program's VmRSS. */
    public static String describe(List<CsvRow<ReplayColumn>> rows) {
        Long programPeak = null;
        Long programFinal = null;
        Set<String> seen = new LinkedHashSet<>();
        List<String> parts = new ArrayList<>();
        for (CsvRow<ReplayColumn> r : rows) {
            if (!r.get(ReplayColumn.STATUS).equals("ok") || r.isEmpty(ReplayColumn.PROGRAM_PEAK_RSS_KB)
                    || !seen.add(r.get(ReplayColumn.VARIANT))) {
                continue;
            }
            programPeak = r.getLong(ReplayColumn.PROGRAM_PEAK_RSS_KB);
            programFinal = r.isEmpty(ReplayColumn.PROGRAM_FINAL_RSS_KB) ? null
                    : r.getLong(ReplayColumn.PROGRAM_FINAL_RSS_KB);
            long peak = r.getLong(ReplayColumn.PEAK_RSS_KB);
            long end = r.getLong(ReplayColumn.FINAL_RSS_KB);
            parts.add(String.format(Locale.ROOT, "%.1f MiB (%s) and %.1f MiB%s under %s", peak / 1024.0,
                    percent(peak, programPeak), end / 1024.0, programFinal == null ? ""
                            : " (" + percent(end, programFinal) + ")", r.get(ReplayColumn.VARIANT)));
        }
        if (programPeak == null) {
            return null;
        }
        return String.format(Locale.ROOT, "the program's own VmRSS (sampled by the recorder): peak %.1f MiB, %s; "
                + "the replay's peak and final: %s (the replay writes every page it is given; the program may not "
                + "have)", programPeak / 1024.0, programFinal == null ? "at its end unknown"
                        : String.format(Locale.ROOT, "at its end %.1f MiB", programFinal / 1024.0),
                String.join(", ", parts));
    }

    private static String percent(long replay, long program) {
        return program <= 0 ? "the program's unknown"
                : String.format(Locale.ROOT, "%+.0f%%", 100.0 * (replay - program) / program);
    }
}
