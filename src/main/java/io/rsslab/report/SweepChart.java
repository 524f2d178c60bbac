package io.rsslab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Churn;
import io.rsslab.plan.Sizes;
import io.rsslab.results.RunsColumn;

/**
 * A sweep in the report: the runs of one churn scenario (one label) at
 * several parameter values, drawn as what was kept after the last round
 * against the swept parameter, one line per host and variant (and per value
 * of any other swept parameter), each point the median of its repeats.
 */
final class SweepChart {

    private SweepChart() {
    }

    /** The churn parameters whose value differs between the runs, the one with most values first. */
    static List<String> swept(List<CsvRow<RunsColumn>> runs) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (String p : Churn.names()) {
            Set<String> v = new LinkedHashSet<>();
            runs.forEach(r -> v.add(r.get(column(p))));
            if (v.size() > 1) {
                values.put(p, v);
            }
        }
        List<String> out = new ArrayList<>(values.keySet());
        out.sort((a, b) -> {
            boolean na = Churn.param(a).numeric();
            boolean nb = Churn.param(b).numeric();
            return na != nb ? (na ? -1 : 1) : values.get(b).size() - values.get(a).size();
        });
        return out;
    }

    static RunsColumn column(String param) {
        return RunsColumn.valueOf("CHURN_" + param.toUpperCase(Locale.ROOT));
    }

    /** The chart; null when nothing numeric was swept or no run succeeded. */
    static XYChart chart(String label, List<CsvRow<RunsColumn>> runs) {
        List<String> swept = swept(runs);
        if (swept.isEmpty() || !Churn.param(swept.get(0)).numeric()) {
            return null;
        }
        String x = swept.get(0);
        List<String> others = swept.subList(1, swept.size());
        Map<String, TreeMap<Double, List<Double>>> series = new LinkedHashMap<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (CsvRow<RunsColumn> r : runs) {
            if (!Charts.ok(r) || r.isEmpty(column(x))) {
                continue;
            }
            StringBuilder name = new StringBuilder(r.get(RunsColumn.HOST) + "/" + r.get(RunsColumn.VARIANT));
            for (String o : others) {
                name.append(' ').append(o).append('=').append(show(o, r));
            }
            double xv = r.getDouble(column(x));
            lo = Math.min(lo, xv);
            hi = Math.max(hi, xv);
            series.computeIfAbsent(name.toString(), k -> new TreeMap<>()).computeIfAbsent(xv, k -> new ArrayList<>())
                    .add(r.getLong(RunsColumn.STEADY_RETAINED_KB) / 1024.0);
        }
        if (series.isEmpty()) {
            return null;
        }
        boolean bytes = Churn.param(x).bytes();
        double scale = bytes ? 1024.0 : 1;
        XYChart chart = new XYChartBuilder().width(960).height(560)
                .title(label + ": what stays after the last round's frees, against " + x)
                .xAxisTitle(x + (bytes ? ", KiB" : "") + (lo > 0 && hi / lo >= 16 ? " (log scale)" : ""))
                .yAxisTitle("kept after the last round, MiB (median of the repeats)").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(lo > 0 && hi / lo >= 16);
        chart.getStyler().setMarkerSize(8);
        int c = 0;
        for (Map.Entry<String, TreeMap<Double, List<Double>>> e : series.entrySet()) {
            double[] xs = e.getValue().keySet().stream().mapToDouble(v -> v / scale).toArray();
            double[] ys = e.getValue().values().stream().mapToDouble(v -> Charts.median(v.stream().mapToDouble(Double::doubleValue).toArray())).toArray();
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setLineColor(Charts.PALETTE[c % Charts.PALETTE.length]);
            s.setMarkerColor(Charts.PALETTE[c % Charts.PALETTE.length]);
            c++;
        }
        return chart;
    }

    private static String show(String param, CsvRow<RunsColumn> r) {
        String v = r.get(column(param));
        return !v.isEmpty() && Churn.param(param).bytes() ? Sizes.format(r.getLong(column(param))) : v;
    }

}
