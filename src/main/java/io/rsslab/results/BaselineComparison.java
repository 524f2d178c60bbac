package io.rsslab.results;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rsslab.data.CsvRow;

/**
 * Once a matrix has ended: each run's CPU time against the baseline runs of
 * the same scenario and host in the same matrix (their mean), filled into
 * the runs' rows in memory.
 */
public final class BaselineComparison {

    private BaselineComparison() {
    }

    public static void apply(List<CsvRow<RunsColumn>> rows) {
        Map<String, double[]> base = new HashMap<>();
        for (CsvRow<RunsColumn> r : rows) {
            if (r.get(RunsColumn.VARIANT).equals("baseline") && r.get(RunsColumn.STATUS).equals("ok")
                    && !r.isEmpty(RunsColumn.SYS_S)) {
                double[] acc = base.computeIfAbsent(key(r), k -> new double[3]);
                acc[0] += r.getDouble(RunsColumn.SYS_S);
                acc[1] += r.getDouble(RunsColumn.USER_S);
                acc[2]++;
            }
        }
        for (CsvRow<RunsColumn> r : rows) {
            double[] b = base.get(key(r));
            if (b == null || r.get(RunsColumn.VARIANT).equals("baseline") || r.isEmpty(RunsColumn.SYS_S)) {
                continue;
            }
            double sys = pct(r.getDouble(RunsColumn.SYS_S), b[0] / b[2]);
            double user = pct(r.getDouble(RunsColumn.USER_S), b[1] / b[2]);
            r.set(RunsColumn.CPU_VS_BASELINE, describe(sys, user))
                    .set(RunsColumn.SYS_VS_BASELINE_PCT, Double.isNaN(sys) ? null : String.format(Locale.ROOT, "%.1f", sys))
                    .set(RunsColumn.USER_VS_BASELINE_PCT,
                            Double.isNaN(user) ? null : String.format(Locale.ROOT, "%.1f", user));
        }
    }

    private static String key(CsvRow<RunsColumn> r) {
        return r.get(RunsColumn.SCENARIO) + "/" + r.get(RunsColumn.HOST);
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
