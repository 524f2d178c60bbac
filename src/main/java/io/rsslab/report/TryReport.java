package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.rsslab.data.CsvRow;
import io.rsslab.results.EnvironmentColumn;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.SampleColumn;
import io.rsslab.results.TryColumn;
import io.rsslab.results.TryFolder;

/** The report of a try folder: the process tree's RSS over time, a line per run, and try's table. */
final class TryReport {

    private TryReport() {
    }

    static HtmlReport.Written write(Path folder, Path out, Path charts) throws IOException, BadResultsException {
        HtmlReport.requireFiles(folder, "try", ResultsFolder.RUNS, TryFolder.SAMPLES_FILE,
                ResultsFolder.ENVIRONMENT);
        List<CsvRow<TryColumn>> runs;
        List<CsvRow<SampleColumn>> samples;
        List<CsvRow<EnvironmentColumn>> env = ResultsData.environment(folder);
        try {
            runs = TryFolder.RUNS.read(folder.resolve(ResultsFolder.RUNS), false).rows();
            samples = TryFolder.SAMPLES.read(folder.resolve(TryFolder.SAMPLES_FILE), false).rows();
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
        Files.createDirectories(charts);
        List<String> variants = new ArrayList<>();
        runs.forEach(r -> {
            if (!variants.contains(r.get(TryColumn.VARIANT))) {
                variants.add(r.get(TryColumn.VARIANT));
            }
        });
        StringBuilder body = new StringBuilder();
        String command = runs.isEmpty() ? "" : runs.get(0).get(TryColumn.COMMAND);
        body.append("<section><h2>").append(HtmlReport.esc(folder.toString())).append("</h2>\n<p>rsslab try -- <code>")
                .append(HtmlReport.esc(command)).append("</code></p>\n");
        List<Path> drawn = new ArrayList<>();
        HtmlReport.chart(overTime(command, runs, samples, variants), charts, "try-rss-over-time", body, drawn);
        TrimCost.section("this command", "mean VmRSS", runs.stream()
                .map(r -> TrimCost.Run.of(r, TryColumn.VARIANT, r.get(TryColumn.STATUS).equals("ok"),
                        TryColumn.MEAN_RSS_KB, TryColumn.USER_S, TryColumn.SYS_S, TryColumn.TRIMS,
                        TryColumn.TRIM_RETURNED_KB, TryColumn.TRIM_PAUSE_MEDIAN_US, TryColumn.TRIM_PAUSE_MAX_US,
                        TryColumn.TRIM_CPU_S)).toList(), variants, charts, "try-trim-cost", body, drawn);
        StringWriter table = new StringWriter();
        TryTable.print(runs, new PrintWriter(table));
        body.append("<pre>").append(HtmlReport.esc(table.toString())).append("</pre>\n");
        body.append("<table><tr><th>run</th><th>variant</th><th>status</th><th>final, MiB</th><th>before exit, MiB</th>"
                + "<th>at exit, MiB</th><th>peak, MiB</th>"
                + "<th>wall, s</th><th>user, s</th><th>sys, s</th><th>stopped, or why it failed</th></tr>\n");
        for (CsvRow<TryColumn> r : runs) {
            boolean failed = r.get(TryColumn.STATUS).equals("failed");
            body.append("<tr").append(failed ? " class=\"failed\"" : "").append("><td>")
                    .append(HtmlReport.esc(r.get(TryColumn.RUN_ID))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(TryColumn.VARIANT))).append("</td><td>")
                    .append(failed ? "<strong>FAILED</strong>" : HtmlReport.esc(r.get(TryColumn.STATUS)))
                    .append("</td><td>").append(HtmlReport.mib(r.get(TryColumn.FINAL_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(TryColumn.BEFORE_EXIT_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(TryColumn.AT_EXIT_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.mib(r.get(TryColumn.PEAK_RSS_KB))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(TryColumn.WALL_S))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(TryColumn.USER_S))).append("</td><td>")
                    .append(HtmlReport.esc(r.get(TryColumn.SYS_S))).append("</td><td>")
                    .append(HtmlReport.esc(failed ? r.get(TryColumn.FAILURE) : r.get(TryColumn.STOPPED)))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        HtmlReport.environmentDetails(env, body);
        Path html = out.resolve("report.html");
        Files.writeString(html, HtmlReport.page(folder.getFileName().toString(),
                "Does a fix work for this program? The VmRSS of its whole process tree over time, a line per run in its "
                        + "variant's colour; then each variant's final and peak RSS and its CPU time.", body.toString()),
                StandardCharsets.UTF_8);
        return new HtmlReport.Written(html, drawn);
    }

    /** The process tree's VmRSS against time, a line per run in its variant's colour. */
    static XYChart overTime(String command, List<CsvRow<TryColumn>> runs, List<CsvRow<SampleColumn>> samples,
            List<String> variants) {
        XYChart chart = new XYChartBuilder().width(960).height(620)
                .title("VmRSS of the command's process tree over time, per variant")
                .xAxisTitle("seconds since the start").yAxisTitle("VmRSS of the process tree, MiB").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        Map<String, List<CsvRow<SampleColumn>>> byRun = new LinkedHashMap<>();
        samples.forEach(s -> byRun.computeIfAbsent(s.get(SampleColumn.RUN_ID), k -> new ArrayList<>()).add(s));
        for (CsvRow<TryColumn> r : runs) {
            List<CsvRow<SampleColumn>> rs = byRun.get(r.get(TryColumn.RUN_ID));
            if (rs == null || rs.isEmpty()) {
                continue;
            }
            int c = Charts.index(variants, r.get(TryColumn.VARIANT));
            XYSeries s = chart.addSeries(r.get(TryColumn.VARIANT) + " #" + r.get(TryColumn.REPEAT)
                    + (r.get(TryColumn.STATUS).equals("failed") ? " (FAILED)" : ""),
                    rs.stream().mapToDouble(x -> x.getDouble(SampleColumn.SECONDS)).toArray(),
                    rs.stream().mapToDouble(x -> x.getLong(SampleColumn.RSS_KB) / 1024.0).toArray());
            s.setLineColor(Charts.PALETTE[c]);
            s.setMarkerColor(Charts.PALETTE[c]);
            // Markers tell apart lines that lie on each other; past a few hundred samples they would be a smudge.
            s.setMarker(rs.size() <= 300 ? Charts.MARKERS[c] : SeriesMarkers.NONE);
        }
        return chart;
    }
}
