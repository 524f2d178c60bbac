package io.rsslab.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.launch.TryLauncher;
import io.rsslab.results.TryColumn;

/**
 * try's table: a row per variant, the median of its runs and their range,
 * and against baseline the change in final RSS and CPU time, judged against
 * the repeats' own spread.
 */
public final class TryTable {

    private static final String ROW = "%-22s %5s %22s %12s %10s %10s %11s %10s %10s %18s %12s %12s%n";

    private TryTable() {
    }

    /**
     * A variant's runs: how many, how many did not fail (ok or stopped, as
     * runs.csv says), how many of those were sampled (a command that ends
     * before the first sample has no RSS figures, only wait4's), the RSS
     * figures of the sampled ones and the CPU time of all that did not fail:
     * median and range.
     */
    record Stats(String variant, int runs, int finished, int measured, double[] finalMib, double[] cpuS,
            double peakMib, double maxRssMib, double meanMib, double mbS, double beforeExitMib, double atExitMib) {

        double range(double[] v) {
            return v.length == 0 ? 0 : Arrays.stream(v).max().orElse(0)
                    - Arrays.stream(v).min().orElse(0);
        }
    }

    static List<Stats> stats(List<CsvRow<TryColumn>> rows) {
        Map<String, List<CsvRow<TryColumn>>> byVariant = new LinkedHashMap<>();
        rows.forEach(r -> byVariant.computeIfAbsent(r.get(TryColumn.VARIANT), k -> new ArrayList<>()).add(r));
        List<Stats> out = new ArrayList<>();
        byVariant.forEach((v, runs) -> {
            List<CsvRow<TryColumn>> done = runs.stream().filter(r -> !r.get(TryColumn.STATUS).equals("failed"))
                    .toList();
            List<CsvRow<TryColumn>> m = done.stream().filter(r -> !r.isEmpty(TryColumn.FINAL_RSS_KB)).toList();
            ToDoubleFunction<CsvRow<TryColumn>> cpu = r -> r.getDouble(TryColumn.USER_S) + r.getDouble(TryColumn.SYS_S);
            out.add(new Stats(v, runs.size(), done.size(), m.size(),
                    m.stream().mapToDouble(r -> r.getLong(TryColumn.FINAL_RSS_KB) / 1024.0).toArray(),
                    done.stream().filter(r -> !r.isEmpty(TryColumn.USER_S)).mapToDouble(cpu).toArray(),
                    Charts.median(m.stream().mapToDouble(r -> r.getLong(TryColumn.PEAK_RSS_KB) / 1024.0).toArray()),
                    Charts.median(m.stream().filter(r -> !r.isEmpty(TryColumn.MAX_RSS_KB))
                            .mapToDouble(r -> r.getLong(TryColumn.MAX_RSS_KB) / 1024.0).toArray()),
                    Charts.median(m.stream().mapToDouble(r -> r.getLong(TryColumn.MEAN_RSS_KB) / 1024.0).toArray()),
                    Charts.median(m.stream().mapToDouble(r -> r.getDouble(TryColumn.TIME_WEIGHTED_RSS_MB_S)).toArray()),
                    medianMib(done, TryColumn.BEFORE_EXIT_RSS_KB), medianMib(done, TryColumn.AT_EXIT_RSS_KB)));
        });
        return out;
    }

    /** The median in MiB of a column's filled cells, NaN when none is. */
    private static double medianMib(List<CsvRow<TryColumn>> rows, TryColumn c) {
        double[] v = rows.stream().filter(r -> !r.isEmpty(c)).mapToDouble(r -> r.getLong(c) / 1024.0).toArray();
        return v.length == 0 ? Double.NaN : Charts.median(v);
    }

    /** try's progress: one line on err as each run ends. */
    public static TryLauncher.Observer progress(PrintWriter err) {
        return (n, total, run, o, summary) -> {
            synchronized (err) {
                err.printf(Locale.ROOT, "[%d/%d] %s repeat %d: %s%n", n, total, run.variant().name(), run.repeat(),
                        o.failure() != null ? "FAILED: " + Text.printable(o.failure())
                                : summary.describe() + String.format(Locale.ROOT, " (%.1f s)%s", o.wallSeconds(),
                                        o.stopped() == null ? "" : ", " + o.stopped()));
                err.flush();
            }
        };
    }

    /** Under the table: how a variant's JVM options reached the command. */
    public static void jvmNotes(List<CsvRow<TryColumn>> rows, PrintWriter out) {
        rows.stream().filter(r -> !r.isEmpty(TryColumn.JVM_OPTIONS)).map(r -> r.get(TryColumn.VARIANT)).distinct()
                .forEach(v -> out.println(v + ": its JVM options reach the java command through JDK_JAVA_OPTIONS"));
    }

    /** Under the table: each run --inspect-at did not read, and why (the command ended first, say). */
    public static void inspectNotes(List<CsvRow<TryColumn>> rows, PrintWriter out) {
        rows.stream().filter(r -> r.get(TryColumn.INSPECT_JSON).startsWith("not "))
                .forEach(r -> out.println(r.get(TryColumn.RUN_ID) + ": " + Text.printable(r.get(TryColumn.INSPECT_JSON))));
    }

    public static void print(List<CsvRow<TryColumn>> rows, PrintWriter out) {
        List<Stats> all = stats(rows);
        Stats base = all.stream().filter(s -> s.variant().equals("baseline")).findFirst().orElse(null);
        out.printf(ROW, "variant", "runs", "final_MiB [min-max]", "before_exit", "at_exit", "peak_MiB", "maxrss_MiB",
                "mean_MiB", "MiB_x_s", "cpu_s [min-max]", "final_vs_base", "cpu_vs_base");
        List<String> verdicts = new ArrayList<>();
        List<String> unsampled = new ArrayList<>();
        for (Stats s : all) {
            String dFinal = "";
            String dCpu = "";
            if (base != null && s != base && s.measured() > 0 && base.measured() > 0) {
                double df = Charts.median(s.finalMib()) - Charts.median(base.finalMib());
                double dc = Charts.median(s.cpuS()) - Charts.median(base.cpuS());
                dFinal = signed("%+.1f MiB", df);
                dCpu = signed("%+.2f s", dc);
                verdicts.add(s.variant() + ": " + judge(df, Math.max(s.range(s.finalMib()), base.range(base.finalMib())),
                        "final RSS", "MiB", s, base) + "; " + judge(dc, Math.max(s.range(s.cpuS()),
                                base.range(base.cpuS())), "CPU time", "s", s, base));
            }
            if (s.measured() < s.finished()) {
                unsampled.add(s.variant() + ": " + (s.finished() - s.measured()) + " of its " + s.finished()
                        + " run(s) ended before the first sample of its memory was taken: no RSS figures for "
                        + (s.finished() - s.measured() == 1 ? "it" : "them") + " (its CPU time is wait4's)");
            }
            out.printf(ROW, s.variant(), s.finished() + "/" + s.runs(), range(s, s.finalMib(), "%.1f"),
                    Double.isNaN(s.beforeExitMib()) ? "" : f(s.beforeExitMib()),
                    Double.isNaN(s.atExitMib()) ? "" : f(s.atExitMib()), f(s.peakMib()), f(s.maxRssMib()),
                    f(s.meanMib()), f(s.mbS()), range(s, s.cpuS(), "%.2f"), dFinal, dCpu);
        }
        out.println("final: median VmRSS of the process tree in its last second; peak, mean: the tree's sampled sum "
                + "(a peak between two samples is missed); maxrss: the largest single process's peak (wait4); "
                + "MiB_x_s: the tree's VmRSS integrated over the run; cpu: user + system (wait4); medians over runs; "
                + "runs: those that did not fail; before_exit: the command's own VmRSS where it called exit() or "
                + "returned from main, at_exit: after its exit-time frees (both read inside it, as a replay's are; "
                + "empty: it ended by a signal or _exit)");
        unsampled.forEach(out::println);
        trimNotes(rows, base, all, out);
        if (!verdicts.isEmpty()) {
            out.println();
            verdicts.forEach(out::println);
        }
        out.flush();
    }

    /**
     * Under the table, per variant that preloads the periodic trimmer (its log in the run's folder): what the
     * trims returned against what they cost, medians over its runs, and the memory saved as the RSS integral
     * against baseline.
     */
    static void trimNotes(List<CsvRow<TryColumn>> rows, Stats base, List<Stats> all, PrintWriter out) {
        for (Stats s : all) {
            List<CsvRow<TryColumn>> t = rows.stream().filter(r -> r.get(TryColumn.VARIANT).equals(s.variant())
                    && !r.isEmpty(TryColumn.TRIMS)).toList();
            if (t.isEmpty()) {
                continue;
            }
            if (t.stream().allMatch(r -> r.getLong(TryColumn.TRIMS) == 0)) {
                out.println(s.variant() + ": no trim: the command ended before the trimmer's first interval");
                continue;
            }
            ToDoubleFunction<TryColumn> med = c -> Charts.median(t.stream().mapToDouble(r -> r.getDouble(c)).toArray());
            String saved = base == null || base == s || s.measured() == 0 || base.measured() == 0 ? ""
                    : "; RSS integral " + signed("%+.1f", s.mbS() - base.mbS()) + " MiB_x_s against baseline";
            out.printf(Locale.ROOT, "%s: %.0f trim(s) returned %.1f MiB in all (VmRSS falls); pause median %.2f ms, "
                    + "largest %.2f ms; the trimmer's CPU %.3f s%s (medians over %d run(s), from its log)%n",
                    s.variant(), med.applyAsDouble(TryColumn.TRIMS), med.applyAsDouble(TryColumn.TRIM_RETURNED_KB) / 1024,
                    med.applyAsDouble(TryColumn.TRIM_PAUSE_MEDIAN_US) / 1000,
                    med.applyAsDouble(TryColumn.TRIM_PAUSE_MAX_US) / 1000, med.applyAsDouble(TryColumn.TRIM_CPU_S),
                    saved, t.size());
        }
    }

    /** Is a difference larger than the runs' own spread? */
    static String judge(double diff, double spread, String what, String unit, Stats s, Stats base) {
        if (s.measured() < 2 || base.measured() < 2) {
            return what + " " + signed("%+.2f", diff) + " " + unit + " against baseline (one run each: no spread to "
                    + "judge by; --repeat 3)";
        }
        return what + " " + signed("%+.2f", diff) + " " + unit + String.format(Locale.ROOT,
                " against baseline, %s the repeats' spread (%.2f %s)", Math.abs(diff) > spread ? "beyond" : "within",
                spread, unit);
    }

    /** A difference as fmt writes it, a zero never as "-0.0": a change too small to show is +0.0. */
    static String signed(String fmt, double v) {
        String s = String.format(Locale.ROOT, fmt, v);
        return s.matches("-0(\\.0+)?([^.0-9].*)?") ? "+" + s.substring(1) : s;
    }

    private static String range(Stats s, double[] v, String fmt) {
        if (v.length == 0) {
            return "-";
        }
        double min = Arrays.stream(v).min().orElse(0);
        double max = Arrays.stream(v).max().orElse(0);
        return String.format(Locale.ROOT, fmt + (v.length > 1 ? " [" + fmt + "-" + fmt + "]" : ""), Charts.median(v), min,
                max);
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
