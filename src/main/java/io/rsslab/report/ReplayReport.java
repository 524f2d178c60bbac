package io.rsslab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.rsslab.data.CsvRow;
import io.rsslab.results.CallSites;
import io.rsslab.results.EnvironmentColumn;
import io.rsslab.results.PinColumn;
import io.rsslab.results.RaiseColumn;
import io.rsslab.results.ReplayColumn;
import io.rsslab.results.ReplayFolder;
import io.rsslab.results.ReplaySampleColumn;
import io.rsslab.results.ResultsFolder;

/**
 * The report of a replay folder: VmRSS against the calls replayed, a line per
 * replay in its variant's colour, and the live bytes the program had
 * requested as the ideal (a black dashed line: what a perfect allocator would
 * hold, above the replayer's own base); then the runs' table, and the call
 * sites that pin memory and raised the threshold (pins.csv, threshold-raises.csv).
 */
final class ReplayReport {

    private ReplayReport() {
    }

    static HtmlReport.Written write(Path folder, Path out, Path charts) throws IOException, BadResultsException {
        HtmlReport.requireFiles(folder, "replay", ResultsFolder.RUNS, ReplayFolder.SAMPLES_FILE,
                ResultsFolder.ENVIRONMENT);
        List<CsvRow<ReplayColumn>> runs;
        List<CsvRow<ReplaySampleColumn>> samples;
        List<CsvRow<EnvironmentColumn>> env = ResultsData.environment(folder);
        try {
            runs = ReplayFolder.RUNS.read(folder.resolve(ResultsFolder.RUNS), false).rows();
            samples = ReplayFolder.SAMPLES.read(folder.resolve(ReplayFolder.SAMPLES_FILE), false).rows();
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
        Files.createDirectories(charts);
        List<String> variants = new ArrayList<>();
        runs.forEach(r -> {
            if (!variants.contains(r.get(ReplayColumn.VARIANT))) {
                variants.add(r.get(ReplayColumn.VARIANT));
            }
        });
        String trace = runs.isEmpty() ? "" : runs.get(0).get(ReplayColumn.TRACE);
        StringBuilder body = new StringBuilder();
        body.append("<section><h2>").append(HtmlReport.esc(folder.toString()))
                .append("</h2>\n<p>rsslab replay <code>").append(HtmlReport.esc(trace)).append("</code>");
        for (CsvRow<EnvironmentColumn> r : env) {
            if (r.get(EnvironmentColumn.SECTION).equals("trace") && r.get(EnvironmentColumn.NAME).equals("command")) {
                body.append(", recorded from <code>").append(HtmlReport.esc(r.get(EnvironmentColumn.VALUE)))
                        .append("</code>");
            }
        }
        body.append("</p>\n");
        List<Path> drawn = new ArrayList<>();
        HtmlReport.chart(overCalls(runs, samples, variants), charts, "replay-rss-over-calls", body, drawn);
        TrimCost.section("this trace", "VmRSS before exit", runs.stream()
                .map(r -> TrimCost.Run.of(r, ReplayColumn.VARIANT, r.get(ReplayColumn.STATUS).equals("ok"),
                        ReplayColumn.BEFORE_EXIT_RSS_KB, ReplayColumn.USER_S, ReplayColumn.SYS_S, ReplayColumn.TRIMS,
                        ReplayColumn.TRIM_RETURNED_KB, ReplayColumn.TRIM_PAUSE_MEDIAN_US,
                        ReplayColumn.TRIM_PAUSE_MAX_US, ReplayColumn.TRIM_CPU_S)).toList(), variants, charts,
                "replay-trim-cost", body, drawn);
        body.append("<table><tr><th>run</th><th>variant</th><th>status</th><th>timing</th><th>calls</th>"
                + "<th>peak, MiB</th><th>before exit, MiB</th><th>at exit, MiB</th><th>live at exit, MiB</th>"
                + "<th>kept at the peak, MiB</th><th>kept before exit, MiB</th><th>kept at exit, MiB</th>"
                + "<th>wall, s</th><th>verdict, or why it failed</th></tr>\n");
        for (CsvRow<ReplayColumn> r : runs) {
            boolean failed = !r.get(ReplayColumn.STATUS).equals("ok");
            body.append("<tr").append(failed ? " class=\"failed\"" : "").append("><td>")
                    .append(HtmlReport.esc(r.get(ReplayColumn.RUN_ID))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(ReplayColumn.VARIANT))).append("</td><td>")
                    .append(failed ? "<strong>FAILED</strong>" : "ok").append("</td><td>")
                    .append(HtmlReport.esc(r.get(ReplayColumn.TIMING))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(ReplayColumn.EVENTS))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.PEAK_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.BEFORE_EXIT_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.FINAL_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.FINAL_LIVE_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.PEAK_RETAINED_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.BEFORE_EXIT_RETAINED_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(ReplayColumn.FINAL_RETAINED_KB))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(ReplayColumn.WALL_S))).append("</td><td>")
                    .append(HtmlReport.esc(failed ? r.get(ReplayColumn.FAILURE) : r.get(ReplayColumn.VERDICT)))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n<p>Before exit: where the program called exit() or returned from main (the "
                + "recorder's mark); at exit: after the exit's own frees. Kept: the replay's anonymous RSS above its "
                + "own before the first call less the live bytes the program had requested, within 0 and that RSS, "
                + "so never more than the process holds.</p>\n");
        callSites(folder, charts, body, drawn);
        HtmlReport.environmentDetails(env, body);
        Path html = out.resolve("report.html");
        Files.writeString(html, HtmlReport.page(folder.getFileName().toString(),
                "A recorded program's malloc calls replayed under each variant: VmRSS against the calls replayed, a line "
                        + "per replay in its variant's colour, and the live bytes the program had requested (black, "
                        + "dashed): what an allocator that kept nothing would hold.", body.toString()),
                StandardCharsets.UTF_8);
        return new HtmlReport.Written(html, drawn);
    }

    /** Call sites shown in the chart and as stacks. */
    private static final int SITES = 10;

    /**
     * The first replay's call sites that pin the most free memory (pins.csv: at the walk of its largest kept
     * memory, else where exit began, else at the end) as a bar chart and their stacks as text; then the frees
     * that raised the threshold. A folder written before pins.csv has no such section.
     */
    private static void callSites(Path folder, Path charts, StringBuilder body, List<Path> drawn) throws IOException,
            BadResultsException {
        Path pinsFile = folder.resolve(ReplayFolder.PINS_FILE);
        Path raisesFile = folder.resolve(ReplayFolder.RAISES_FILE);
        if (!Files.exists(pinsFile)) {
            return;
        }
        List<CsvRow<PinColumn>> pins;
        List<CsvRow<RaiseColumn>> raises;
        try {
            pins = ReplayFolder.PINS.read(pinsFile, false).rows();
            raises = Files.exists(raisesFile) ? ReplayFolder.RAISES.read(raisesFile, false).rows() : List.of();
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
        body.append("<h3>Which code keeps the memory</h3>\n");
        if (pins.isEmpty()) {
            body.append("<p>No live block pins free memory (or the replays ran under another allocator, whose heaps "
                    + "are not walked).</p>\n");
        }
        String run = pins.isEmpty() ? null : pins.get(0).get(PinColumn.RUN_ID);
        for (String moment : CallSites.MOMENTS) {
            List<CsvRow<PinColumn>> at = pins.stream().filter(r -> r.get(PinColumn.RUN_ID).equals(run)
                    && r.get(PinColumn.MOMENT).equals(moment)).limit(SITES).toList();
            if (at.isEmpty()) {
                continue;
            }
            body.append("<p>Run ").append(HtmlReport.esc(run)).append(", ").append(moment.equals("peak")
                    ? "at its largest kept memory" : moment.equals("before_exit") ? "where exit began" : "at its end")
                    .append(": the call sites whose live blocks hold the most resident free memory directly below "
                            + "them, which the heap's top cannot shrink past while they live (pins.csv has every "
                            + "replay and moment).</p>\n");
            CategoryChart chart = new CategoryChartBuilder().width(960).height(320 + 34 * at.size())
                    .title("free memory pinned, by the call site that made the block").xAxisTitle("call site")
                    .yAxisTitle("MiB pinned").build();
            Charts.style(chart.getStyler());
            chart.getStyler().setXAxisLabelRotation(20);
            chart.getStyler().setLegendVisible(false);
            chart.addSeries("pinned", at.stream().map(r -> "#" + r.get(PinColumn.RANK) + " "
                    + abbreviate(r.get(PinColumn.CALL_SITE))).toList(), at.stream()
                    .map(r -> (Number) (r.getLong(PinColumn.PINNED_KB) / 1024.0)).toList())
                    .setFillColor(Charts.PALETTE[0]);
            HtmlReport.chart(chart, charts, "replay-pins", body, drawn);
            body.append("<pre>");
            for (CsvRow<PinColumn> r : at) {
                body.append(HtmlReport.esc("#" + r.get(PinColumn.RANK) + "  " + HtmlReport.mib(
                        r.get(PinColumn.PINNED_KB)) + " MiB pinned by " + r.get(PinColumn.BLOCKS) + " block(s) of "
                        + r.get(PinColumn.BLOCK_BYTES) + " bytes\n    "
                        + r.get(PinColumn.STACK).replace(" < ", "\n    "))).append("\n");
            }
            body.append("</pre>\n");
            break;
        }
        List<CsvRow<RaiseColumn>> mine = raises.stream().filter(r -> run == null
                || r.get(RaiseColumn.RUN_ID).equals(run)).toList();
        if (!mine.isEmpty()) {
            body.append("<p>The frees of mmapped blocks that raised glibc's dynamic mmap threshold (later blocks of "
                    + "that size stay in the heap; threshold-raises.csv):</p>\n<pre>");
            for (CsvRow<RaiseColumn> r : mine) {
                body.append(HtmlReport.esc("record " + r.get(RaiseColumn.RECORD) + ": raised to "
                        + HtmlReport.mib(r.get(RaiseColumn.RAISED_TO_KB)) + " MiB\n    "
                        + (r.get(RaiseColumn.STACK).isEmpty() ? r.get(RaiseColumn.CALL_SITE)
                                : r.get(RaiseColumn.STACK).replace(" < ", "\n    ")))).append("\n");
            }
            body.append("</pre>\n");
        }
    }

    private static String abbreviate(String site) {
        return site.length() > 60 ? site.substring(0, 57) + "..." : site;
    }

    /** VmRSS against calls, a line per replay; the ideal (live bytes + base) of the first replay, dashed. */
    static XYChart overCalls(List<CsvRow<ReplayColumn>> runs, List<CsvRow<ReplaySampleColumn>> samples,
            List<String> variants) {
        XYChart chart = new XYChartBuilder().width(960).height(620)
                .title("VmRSS of the replay over the calls, per variant, the live bytes requested (the ideal) and, "
                        + "where recorded, the program's own VmRSS")
                .xAxisTitle("calls replayed").yAxisTitle("MiB").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        Map<String, List<CsvRow<ReplaySampleColumn>>> byRun = new LinkedHashMap<>();
        samples.forEach(s -> byRun.computeIfAbsent(s.get(ReplaySampleColumn.RUN_ID), k -> new ArrayList<>()).add(s));
        double[] idealX = null;
        double[] idealY = null;
        List<CsvRow<ReplaySampleColumn>> program = List.of();
        for (CsvRow<ReplayColumn> r : runs) {
            List<CsvRow<ReplaySampleColumn>> rs = byRun.get(r.get(ReplayColumn.RUN_ID));
            if (rs == null || rs.isEmpty()) {
                continue;
            }
            double[] x = rs.stream().mapToDouble(s -> s.getDouble(ReplaySampleColumn.EVENTS)).toArray();
            if (idealX == null && !r.isEmpty(ReplayColumn.BASE_RSS_KB)) {
                long base = r.getLong(ReplayColumn.BASE_RSS_KB);
                idealX = x;
                idealY = rs.stream().mapToDouble(s -> (s.getLong(ReplaySampleColumn.LIVE_KB) + base) / 1024.0)
                        .toArray();
                program = rs.stream().filter(s -> !s.isEmpty(ReplaySampleColumn.PROGRAM_RSS_KB)).toList();
            }
            int c = Charts.index(variants, r.get(ReplayColumn.VARIANT));
            XYSeries s = chart.addSeries(r.get(ReplayColumn.VARIANT) + " #" + r.get(ReplayColumn.REPEAT)
                    + (r.get(ReplayColumn.STATUS).equals("ok") ? "" : " (FAILED)"), x,
                    rs.stream().mapToDouble(v -> v.getLong(ReplaySampleColumn.RSS_KB) / 1024.0).toArray());
            s.setLineColor(Charts.PALETTE[c]);
            s.setMarkerColor(Charts.PALETTE[c]);
            s.setMarker(rs.size() <= 300 ? Charts.MARKERS[c] : SeriesMarkers.NONE);
        }
        if (idealX != null) {
            // Drawn last, so that it shows where a variant's line lies on it.
            XYSeries live = chart.addSeries("live bytes requested + the replayer's base (the ideal)", idealX, idealY);
            live.setLineColor(java.awt.Color.BLACK);
            live.setLineStyle(SeriesLines.DASH_DASH);
            live.setMarker(SeriesMarkers.NONE);
        }
        if (!program.isEmpty()) {
            // The recorded program's own VmRSS (trace version 2) at the same calls: how far the replay lies from it.
            XYSeries p = chart.addSeries("the recorded program's own VmRSS", program.stream()
                    .mapToDouble(s -> s.getDouble(ReplaySampleColumn.EVENTS)).toArray(), program.stream()
                    .mapToDouble(s -> s.getLong(ReplaySampleColumn.PROGRAM_RSS_KB) / 1024.0).toArray());
            p.setLineColor(java.awt.Color.DARK_GRAY);
            p.setLineStyle(SeriesLines.DOT_DOT);
            p.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
