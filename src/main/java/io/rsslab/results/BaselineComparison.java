package io.rsslab.results;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.AtomicCsv;

/**
 * Once a matrix has ended: each run's CPU time against the baseline runs of
 * the same scenario and host in the same matrix (their mean), written into
 * runs.csv through a temporary file and a rename.
 */
public final class BaselineComparison {

    private BaselineComparison() {
    }

    public static void apply(Path runsCsv) throws IOException {
        List<CSVRecord> rows;
        try (Reader r = Files.newBufferedReader(runsCsv)) {
            rows = RunsCsv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        Map<String, double[]> base = new HashMap<>();
        for (CSVRecord r : rows) {
            if (r.get("variant").equals("baseline") && r.get("status").equals("ok") && !r.get("sys_s").isEmpty()) {
                double[] acc = base.computeIfAbsent(key(r), k -> new double[3]);
                acc[0] += Double.parseDouble(r.get("sys_s"));
                acc[1] += Double.parseDouble(r.get("user_s"));
                acc[2]++;
            }
        }
        AtomicCsv.write(runsCsv, RunsCsv.FORMAT, p -> {
            for (CSVRecord r : rows) {
                List<String> cells = new ArrayList<>(r.toList());
                double[] b = base.get(key(r));
                if (b != null && !r.get("variant").equals("baseline") && !r.get("sys_s").isEmpty()) {
                    double sys = pct(Double.parseDouble(r.get("sys_s")), b[0] / b[2]);
                    double user = pct(Double.parseDouble(r.get("user_s")), b[1] / b[2]);
                    int at = RunsCsv.COLUMNS.indexOf("cpu_vs_baseline");
                    cells.set(at, describe(sys, user));
                    cells.set(at + 1, Double.isNaN(sys) ? "" : String.format(Locale.ROOT, "%.1f", sys));
                    cells.set(at + 2, Double.isNaN(user) ? "" : String.format(Locale.ROOT, "%.1f", user));
                }
                p.printRecord(cells);
            }
        });
    }

    private static String key(CSVRecord r) {
        return r.get("scenario") + "/" + r.get("host");
    }

    /** Below this the kernel's CPU accounting (clock ticks) says too little to compare. */
    static final double MIN_SECONDS = 0.01;

    /** value against baseline in percent, or NaN when the baseline is too small to compare with. */
    static double pct(double value, double baseline) {
        return baseline < MIN_SECONDS ? Double.NaN : (value / baseline - 1) * 100;
    }

    /** "+52% system time, +3% user time"; a part whose baseline is too small says so. */
    static String describe(double sysPct, double userPct) {
        return part(sysPct, "system") + ", " + part(userPct, "user");
    }

    private static String part(double pct, String kind) {
        return Double.isNaN(pct) ? kind + " time too small to compare"
                : String.format(Locale.ROOT, "%+.0f%% %s time", pct, kind);
    }
}
