package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;

/**
 * What the periodic trimmer did in one run, from the log it wrote into the run's folder: the number of
 * trims, the VmRSS they returned (the sum of each trim's fall), their pause (median and largest) and the
 * CPU they took. A run whose variant does not preload the trimmer has no log, and these stay empty.
 */
public record TrimLog(int trims, long returnedKb, long pauseMedianUs, long pauseMaxUs, double cpuSeconds) {

    public static final CsvSchema<TrimLogColumn> SCHEMA = CsvSchema.of(TrimLogColumn.class);

    /** The run's log file in its folder. */
    public static Path file(Path folder, String runId) {
        return folder.resolve(runId + ".trim.csv");
    }

    /** The log's summary; null when the run wrote none (no trimmer, or it stayed idle before its header). */
    public static TrimLog read(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return null;
        }
        List<CsvRow<TrimLogColumn>> rows = SCHEMA.read(log, true).rows();
        long[] pauses = rows.stream().mapToLong(r -> r.getLong(TrimLogColumn.PAUSE_US)).sorted().toArray();
        long returned = rows.stream()
                .mapToLong(r -> Math.max(0, r.getLong(TrimLogColumn.RSS_BEFORE_KB) - r.getLong(TrimLogColumn.RSS_AFTER_KB)))
                .sum();
        double cpu = rows.stream().mapToLong(r -> r.getLong(TrimLogColumn.CPU_US)).sum() / 1e6;
        return new TrimLog(rows.size(), returned, pauses.length == 0 ? 0 : median(pauses),
                Arrays.stream(pauses).max().orElse(0), cpu);
    }

    /** read, with a log the program damaged (or that cannot be read) as unknown: null. */
    public static TrimLog readOrNull(Path log) {
        try {
            return read(log);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static long median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
