package io.rsslab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.VectorGraphicsEncoder.VectorGraphicsFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.TraceScenario;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.results.RoundsColumn;
import io.rsslab.results.RunsColumn;

/**
 * The report's charts, drawn by XChart and saved as PNG and SVG: rounds per
 * scenario and host (VmRSS after the allocations and after the frees, one
 * colour per variant, the article's figures alongside), the trade-off
 * (memory kept against CPU time), and the same runs side by side per
 * machine. Colours are a colour-blind-safe set of twelve (Okabe-Ito and
 * Paul Tol), each with its own marker, so series stay apart in grey too.
 */
final class Charts {

    static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xE69F00), new Color(0x009E73),
        new Color(0xD55E00), new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x000000), new Color(0x882255),
        new Color(0x999933), new Color(0x332288), new Color(0x44AA99), new Color(0xAA4499)};
    static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.OVAL, SeriesMarkers.RECTANGLE, SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE,
        SeriesMarkers.DIAMOND};
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);
    private static final BasicStroke DOTTED = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
            10f, new float[] {1.5f, 4f}, 0f);
    /** A log axis cannot show 0: kept memory below this is drawn at it, and the axis title says so. */
    static final double LOG_FLOOR_MIB = 0.01;

    /** The median of the values (the mean of the middle two for an even count); NaN for none. */
    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** A chart written as PNG and SVG: where, and its title. */
    record Drawn(String name, String title, Path png, Path svg) {
    }

    private Charts() {
    }

    static int index(List<String> variants, String variant) {
        int i = variants.indexOf(variant);
        return Math.max(0, i) % PALETTE.length;
    }

    /**
     * VmRSS after the allocations (dashed) and after the frees (solid) against
     * the round, one colour per variant; the article's figures dotted, in the
     * colour of the variant they are the article's run of.
     */
    static XYChart rounds(String scenario, String host, List<CsvRow<RunsColumn>> runs, ResultsData data,
            List<String> variants, Map<String, List<ReferenceRow>> article) {
        XYChart chart = new XYChartBuilder().width(960).height(720)
                .title(scenario + " on the " + host + " host: VmRSS after each round's allocations and frees")
                .xAxisTitle(TraceScenario.is(scenario) ? "round (an equal share of the trace's calls; after the allocations: at "
                        + "its peak of live bytes)" : "round (the article's k)").yAxisTitle("VmRSS, MiB").build();
        style(chart.getStyler());
        double min = Double.MAX_VALUE;
        double max = 0;
        for (CsvRow<RunsColumn> run : firstOkPerVariant(runs)) {
            List<CsvRow<RoundsColumn>> rows = data.roundsOf(run.get(RunsColumn.RUN_ID));
            if (rows.isEmpty()) {
                continue;
            }
            String v = run.get(RunsColumn.VARIANT);
            int c = index(variants, v);
            double[] k = column(rows, r -> r.getDouble(RoundsColumn.ROUND));
            double[] free = column(rows, r -> r.getLong(RoundsColumn.RSS_AFTER_FREE_KB) / 1024.0);
            double[] alloc = column(rows, r -> r.getLong(RoundsColumn.RSS_AFTER_ALLOC_KB) / 1024.0);
            line(chart.addSeries(v + ": after the frees", k, free), c, null);
            line(chart.addSeries(v + ": after the allocations", k, alloc), c, DASHED);
            for (double[] a : List.of(free, alloc)) {
                for (double x : a) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
            List<ReferenceRow> ref = article.get(v);
            if (ref != null && host.equals("native")) {
                double[] rk = ref.stream().mapToDouble(ReferenceRow::round).toArray();
                double[] rfree = ref.stream().mapToDouble(x -> x.rssAfterFreeKb() / 1024.0).toArray();
                line(chart.addSeries(v + ": the article, after the frees (" + ref.get(0).distribution() + ", glibc "
                        + ref.get(0).glibc() + ")", rk, rfree), c, DOTTED);
            }
        }
        if (max > 0 && max / Math.max(min, LOG_FLOOR_MIB) > 100) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setYAxisTitle("VmRSS, MiB (log scale)");
        }
        return chart;
    }

    /** Memory kept after the last round against the CPU time (system + user) of each run, one colour per variant. */
    static XYChart tradeOff(String scenario, String host, List<CsvRow<RunsColumn>> runs, List<String> variants) {
        XYChart chart = new XYChartBuilder().width(960).height(560)
                .title(scenario + " on the " + host + " host: what each variant keeps, and what it costs")
                .xAxisTitle("CPU time of the run, seconds (system + user, wait4)")
                .yAxisTitle("kept after the last round, MiB (log scale; 0 drawn at " + LOG_FLOOR_MIB + ")").build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(11);
        chart.getStyler().setXAxisMin(0.0);
        for (String v : variants) {
            List<CsvRow<RunsColumn>> ok = runs.stream().filter(r -> r.get(RunsColumn.VARIANT).equals(v) && ok(r)
                    && !r.isEmpty(RunsColumn.SYS_S)).toList();
            if (ok.isEmpty()) {
                continue;
            }
            double[] cpu = ok.stream().mapToDouble(r -> r.getDouble(RunsColumn.SYS_S) + r.getDouble(RunsColumn.USER_S))
                    .toArray();
            double[] kept = ok.stream().mapToDouble(r -> Math.max(LOG_FLOOR_MIB,
                    r.getLong(RunsColumn.STEADY_RETAINED_KB) / 1024.0)).toArray();
            int c = index(variants, v);
            XYSeries s = chart.addSeries(v, cpu, kept);
            s.setMarker(MARKERS[c]);
            s.setMarkerColor(PALETTE[c]);
        }
        return chart;
    }

    /** CPU seconds per variant, system and user stacked (the first ok run of each). */
    static CategoryChart cpu(String scenario, String host, List<CsvRow<RunsColumn>> runs) {
        CategoryChart chart = new CategoryChartBuilder().width(960).height(460)
                .title(scenario + " on the " + host + " host: CPU time per variant (wait4)")
                .xAxisTitle("variant").yAxisTitle("CPU time, seconds").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        List<CsvRow<RunsColumn>> first = firstOkPerVariant(runs).stream().filter(r -> !r.isEmpty(RunsColumn.SYS_S))
                .toList();
        if (first.isEmpty()) {
            return null;
        }
        List<String> names = first.stream().map(r -> r.get(RunsColumn.VARIANT)).toList();
        chart.addSeries("system", names, first.stream().map(r -> (Number) r.getDouble(RunsColumn.SYS_S)).toList())
                .setFillColor(PALETTE[0]);
        chart.addSeries("user", names, first.stream().map(r -> (Number) r.getDouble(RunsColumn.USER_S)).toList())
                .setFillColor(PALETTE[1]);
        return chart;
    }

    /**
     * Several folders: memory kept per variant, one colour per machine, for
     * one scenario and host; a variant a folder did not run (or whose runs
     * failed) has no marker.
     */
    static CategoryChart machines(String scenario, String host, List<ResultsData> folders, List<String> variants) {
        CategoryChart chart = new CategoryChartBuilder().width(960).height(520)
                .title(scenario + " on the " + host + " host, machine by machine: memory kept after the last round")
                .xAxisTitle("variant").yAxisTitle("kept, MiB (log scale; 0 drawn at " + LOG_FLOOR_MIB + ")").build();
        style(chart.getStyler());
        // Markers, not bars: a bar of a log axis has no floor to stand on.
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(12);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(30);
        int i = 0;
        for (ResultsData d : folders) {
            String label = "folder " + (i + 1) + ": " + d.machine();
            List<CsvRow<RunsColumn>> runs = d.byScenarioAndHost().getOrDefault(scenario, Map.of())
                    .getOrDefault(host, List.of());
            List<Number> kept = new ArrayList<>();
            for (String v : variants) {
                kept.add(firstOkPerVariant(runs).stream().filter(r -> r.get(RunsColumn.VARIANT).equals(v)).findFirst()
                        .map(r -> (Number) Math.max(LOG_FLOOR_MIB, r.getLong(RunsColumn.STEADY_RETAINED_KB) / 1024.0))
                        .orElse(null));
            }
            CategorySeries s = chart.addSeries(label, variants, kept);
            s.setMarker(MARKERS[i % MARKERS.length]);
            s.setMarkerColor(PALETTE[i++ % PALETTE.length]);
        }
        return chart;
    }

    /** The first run of each variant that finished ok, in the order they came. */
    static List<CsvRow<RunsColumn>> firstOkPerVariant(List<CsvRow<RunsColumn>> runs) {
        List<CsvRow<RunsColumn>> out = new ArrayList<>();
        for (CsvRow<RunsColumn> r : runs) {
            if (ok(r) && out.stream().noneMatch(o -> o.get(RunsColumn.VARIANT).equals(r.get(RunsColumn.VARIANT)))) {
                out.add(r);
            }
        }
        return out;
    }

    static boolean ok(CsvRow<RunsColumn> r) {
        return r.get(RunsColumn.STATUS).equals("ok");
    }

    private static double[] column(List<CsvRow<RoundsColumn>> rows, ToDoubleFunction<CsvRow<RoundsColumn>> f) {
        return rows.stream().mapToDouble(f).toArray();
    }

    private static void line(XYSeries s, int c, BasicStroke stroke) {
        s.setLineColor(PALETTE[c]);
        s.setMarkerColor(PALETTE[c]);
        s.setMarker(stroke == DASHED ? SeriesMarkers.NONE : MARKERS[c]);
        if (stroke != null) {
            s.setLineStyle(stroke);
        }
    }

    static void style(Styler st) {
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendBorderColor(Color.LIGHT_GRAY);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        st.setLegendPadding(4);
        st.setChartTitleBoxVisible(false);
        st.setPlotBorderVisible(false);
    }

    /** Writes chart as dir/name.png and dir/name.svg. */
    static Drawn save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        String base = dir.resolve(name).toString();
        BitmapEncoder.saveBitmapWithDPI(chart, base, BitmapFormat.PNG, 144);
        VectorGraphicsEncoder.saveVectorGraphic(chart, base, VectorGraphicsFormat.SVG);
        return new Drawn(name, chart.getTitle(), dir.resolve(name + ".png"), dir.resolve(name + ".svg"));
    }
}
