package io.rsslab.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Churn;
import io.rsslab.plan.Sizes;
import io.rsslab.results.RunsColumn;

/**
 * A sweep's table: one line per point (the values of the swept parameters),
 * one column per host and variant, each cell the MiB kept after the last
 * round's frees (the median of the repeats; FAIL when a run failed), and
 * per column the first point from which memory stays (every round kept at
 * least 10% of what it allocated, runs.csv keeping_since_round, and at least
 * 200 KiB stayed at the end).
 */
public final class SweepTable {

    /**
     * At or below this, what stays is the probe's own drift, not the allocator's: 0.0-0.1 MiB at every
     * point that kept nothing (sweeps of size and seal_every, glibc 2.36), so 200 KiB.
     */
    static final long STAYS_KB = 200;

    private SweepTable() {
    }

    public static void print(List<CsvRow<RunsColumn>> runs, List<String> swept, PrintWriter out) {
        Map<String, Map<String, List<CsvRow<RunsColumn>>>> cells = new LinkedHashMap<>();
        List<String> columns = new ArrayList<>();
        for (CsvRow<RunsColumn> r : inSweepOrder(runs, swept)) {
            String column = r.get(RunsColumn.HOST) + "/" + r.get(RunsColumn.VARIANT);
            if (!columns.contains(column)) {
                columns.add(column);
            }
            cells.computeIfAbsent(point(r, swept), k -> new LinkedHashMap<>())
                    .computeIfAbsent(column, k -> new ArrayList<>()).add(r);
        }
        int first = Math.max(12, swept.stream().mapToInt(String::length).sum() + 2 * swept.size());
        for (String p : cells.keySet()) {
            first = Math.max(first, p.length() + 1);
        }
        int width = Math.max(10, columns.stream().mapToInt(String::length).max().orElse(10) + 1);
        out.println("MiB kept after the last round's frees (VmRSS less the start, less what the program still held)");
        out.print(pad(String.join(" ", swept), first));
        columns.forEach(c -> out.print(left(c, width)));
        out.println();
        Map<String, String> onset = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, List<CsvRow<RunsColumn>>>> e : cells.entrySet()) {
            out.print(pad(e.getKey(), first));
            for (String c : columns) {
                List<CsvRow<RunsColumn>> rs = e.getValue().getOrDefault(c, List.of());
                out.print(left(cell(rs), width));
                if (!onset.containsKey(c) && !rs.isEmpty() && rs.stream().allMatch(r -> r.get(RunsColumn.STATUS)
                        .equals("ok") && !r.isEmpty(RunsColumn.KEEPING_SINCE_ROUND)
                        && r.getLong(RunsColumn.STEADY_RETAINED_KB) > STAYS_KB)) {
                    onset.put(c, e.getKey());
                }
            }
            out.println();
        }
        for (String c : columns) {
            out.println(c + ": " + (onset.containsKey(c) ? "memory stays from " + onset.get(c).trim()
                    + " on (every round kept at least 10% of what it allocated, and more than 200 KiB stayed)"
                    : "no point kept 10% of a round in every round and more than 200 KiB at the end"));
        }
        out.flush();
    }

    /** The runs ordered by the swept parameters' values (numbers as numbers), the first parameter slowest. */
    static List<CsvRow<RunsColumn>> inSweepOrder(List<CsvRow<RunsColumn>> runs, List<String> swept) {
        java.util.Comparator<CsvRow<RunsColumn>> order = (a, b) -> 0;
        for (String p : swept) {
            RunsColumn c = SweepChart.column(p);
            java.util.Comparator<CsvRow<RunsColumn>> by = Churn.param(p).numeric()
                    ? java.util.Comparator.comparingDouble(r -> r.isEmpty(c) ? -1 : r.getDouble(c))
                    : java.util.Comparator.comparing(r -> r.get(c));
            order = order.thenComparing(by);
        }
        List<CsvRow<RunsColumn>> sorted = new ArrayList<>(runs);
        sorted.sort(order);
        return sorted;
    }

    /** The swept parameters' values of a run, as "size=1048576 threads=2" with sizes in K/M/G. */
    private static String point(CsvRow<RunsColumn> r, List<String> swept) {
        List<String> parts = new ArrayList<>();
        for (String p : swept) {
            String v = r.get(SweepChart.column(p));
            parts.add(p + "=" + (Churn.param(p).bytes() && !v.isEmpty() ? Sizes.format(r.getLong(SweepChart.column(p))) : v));
        }
        return String.join(" ", parts);
    }

    private static String cell(List<CsvRow<RunsColumn>> rs) {
        if (rs.isEmpty()) {
            return "-";
        }
        if (rs.stream().anyMatch(r -> !r.get(RunsColumn.STATUS).equals("ok"))) {
            return "FAIL";
        }
        return String.format(Locale.ROOT, "%.1f", Charts.median(rs.stream()
                .mapToDouble(r -> r.getLong(RunsColumn.STEADY_RETAINED_KB) / 1024.0).toArray()));
    }

    private static String pad(String s, int w) {
        return String.format(Locale.ROOT, "%-" + w + "s", s);
    }

    private static String left(String s, int w) {
        return String.format(Locale.ROOT, "%" + w + "s", s);
    }
}
