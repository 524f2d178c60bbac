package io.rsslab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

import io.rsslab.data.CsvColumn;
import io.rsslab.data.CsvRow;

/**
 * The periodic trimmer beside the threshold settings (issue 26), in every kind of folder: per variant, the
 * memory it saved against baseline and the CPU it added, a marker each on one chart, and a table with the
 * trims' pause, what they returned and the trimmer's own CPU. Every figure is a median over the variant's ok
 * runs of the folder's runs.csv (the largest pause: the largest over them); nothing is drawn unless some run
 * trimmed (its trims column filled from its log) and a baseline run finished.
 */
final class TrimCost {

    /** A run's figures; null where runs.csv has none (a failed run, a column an older rsslab did not write). */
    record Run(String variant, boolean ok, Double memoryKb, Double cpuS, Double trims, Double returnedKb,
            Double pauseMedianUs, Double pauseMaxUs, Double trimCpuS) {

        /** The run of a runs.csv row; cpu: user + system. */
        static <C extends Enum<C> & CsvColumn> Run of(CsvRow<C> r, C variant, boolean ok, C memory, C user, C sys,
                C trims, C returned, C pauseMedian, C pauseMax, C trimCpu) {
            Double u = num(r, user);
            Double s = num(r, sys);
            return new Run(r.get(variant), ok, num(r, memory), u == null || s == null ? null : u + s, num(r, trims),
                    num(r, returned), num(r, pauseMedian), num(r, pauseMax), num(r, trimCpu));
        }
    }

    private record Variant(String name, int runs, Double memoryKb, Double cpuS, Double trims, Double returnedKb,
            Double pauseMedianUs, Double pauseMaxUs, Double trimCpuS) {
    }

    private TrimCost() {
    }

    /**
     * The section, if the runs have it: memory names the figure compared ("mean VmRSS"), id the
     * chart's file name, variants the folder's order (their colours in the other charts).
     */
    static void section(String where, String memory, List<Run> runs, List<String> variants, Path charts, String id,
            StringBuilder body, List<Path> drawn) throws IOException {
        Map<String, Variant> by = new LinkedHashMap<>();
        for (String v : variants) {
            List<Run> ok = runs.stream().filter(r -> r.variant().equals(v) && r.ok()).toList();
            if (!ok.isEmpty()) {
                by.put(v, new Variant(v, ok.size(), median(ok, Run::memoryKb), median(ok, Run::cpuS),
                        median(ok, Run::trims), median(ok, Run::returnedKb), median(ok, Run::pauseMedianUs),
                        ok.stream().map(Run::pauseMaxUs).filter(Objects::nonNull).max(Double::compare).orElse(null),
                        median(ok, Run::trimCpuS)));
            }
        }
        Variant base = by.get("baseline");
        if (base == null || base.memoryKb() == null || by.values().stream().noneMatch(v -> v.trims() != null)) {
            return;
        }
        body.append("<h3>").append(HtmlReport.esc(where)).append(": the periodic trimmer against the other "
                + "remedies</h3>\n");
        XYChart chart = new XYChartBuilder().width(960).height(560)
                .title(where + ": memory saved and CPU added against baseline, per variant (medians)")
                .xAxisTitle("CPU added against baseline, seconds (user + system)")
                .yAxisTitle(memory + " saved, MiB").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(11);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        chart.getStyler().setYAxisDecimalPattern("0.0");
        // Both axes through 0 (baseline's point), so that a variant's side of it reads at a glance.
        double[] x = {0, 0};
        double[] y = {0, 0};
        for (Variant v : by.values()) {
            if (v == base || v.memoryKb() == null || v.cpuS() == null || base.cpuS() == null) {
                continue;
            }
            String label = v.name() + (v.pauseMedianUs() == null ? "" : String.format(Locale.ROOT,
                    " (pause median %.2f ms, largest %.2f ms)", v.pauseMedianUs() / 1000, v.pauseMaxUs() / 1000));
            int c = Charts.index(variants, v.name());
            double cpu = v.cpuS() - base.cpuS();
            double saved = (base.memoryKb() - v.memoryKb()) / 1024;
            x = new double[] {Math.min(x[0], cpu), Math.max(x[1], cpu)};
            y = new double[] {Math.min(y[0], saved), Math.max(y[1], saved)};
            XYSeries s = chart.addSeries(label, new double[] {cpu}, new double[] {saved});
            s.setMarker(Charts.MARKERS[c]);
            s.setMarkerColor(Charts.PALETTE[c]);
        }
        double padX = Math.max(0.05, (x[1] - x[0]) * 0.1);
        double padY = Math.max(1, (y[1] - y[0]) * 0.1);
        chart.getStyler().setXAxisMin(x[0] - padX).setXAxisMax(x[1] + padX).setYAxisMin(y[0] - padY)
                .setYAxisMax(y[1] + padY);
        HtmlReport.chart(chart, charts, id, body, drawn);
        body.append("<table><tr><th>variant</th><th>ok runs</th><th>").append(HtmlReport.esc(memory))
                .append(", MiB</th><th>saved, MiB</th><th>CPU, s</th><th>CPU added, s</th><th>trims</th>"
                        + "<th>returned by the trims, MiB</th><th>pause median, ms</th><th>largest pause, ms</th>"
                        + "<th>the trimmer's CPU, s</th></tr>\n");
        for (Variant v : by.values()) {
            body.append("<tr><td>").append(HtmlReport.esc(v.name())).append("</td><td>").append(v.runs())
                    .append("</td><td>").append(fmt(v.memoryKb(), 1024, "%.1f")).append("</td><td>")
                    .append(v == base ? "" : fmt(diff(base.memoryKb(), v.memoryKb()), 1024, "%.1f")).append("</td><td>")
                    .append(fmt(v.cpuS(), 1, "%.2f")).append("</td><td>")
                    .append(v == base ? "" : fmt(diff(v.cpuS(), base.cpuS()), 1, "%+.2f")).append("</td><td>")
                    .append(fmt(v.trims(), 1, "%.0f")).append("</td><td>").append(fmt(v.returnedKb(), 1024, "%.1f"))
                    .append("</td><td>").append(fmt(v.pauseMedianUs(), 1000, "%.2f")).append("</td><td>")
                    .append(fmt(v.pauseMaxUs(), 1000, "%.2f")).append("</td><td>").append(fmt(v.trimCpuS(), 1, "%.3f"))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n<p>Saved: baseline's ").append(HtmlReport.esc(memory)).append(" less the variant's; "
                + "CPU added: the run's user + system time less baseline's (for a trimmer, with the faults of the "
                + "pages it returned and the program touched again). The trims' figures come from each run's log "
                + "(RUNID.trim.csv): returned is the sum of VmRSS falls across a run's trims, the pause the whole "
                + "malloc_trim call, within which each arena's lock is held in turn. Empty: not measured (no "
                + "trimmer, or no such column).</p>\n");
    }

    private static Double median(List<Run> runs, Function<Run, Double> f) {
        double[] v = runs.stream().map(f).filter(Objects::nonNull).mapToDouble(Double::doubleValue).toArray();
        return v.length == 0 ? null : Charts.median(v);
    }

    private static Double diff(Double a, Double b) {
        return a == null || b == null ? null : a - b;
    }

    private static String fmt(Double v, double unit, String pattern) {
        return v == null ? "" : String.format(Locale.ROOT, pattern, v / unit);
    }

    private static <C extends Enum<C> & CsvColumn> Double num(CsvRow<C> r, C c) {
        return c == null || r.isEmpty(c) ? null : r.getDouble(c);
    }
}
