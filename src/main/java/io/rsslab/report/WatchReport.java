package io.rsslab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import io.rsslab.data.CsvRow;
import io.rsslab.results.EnvironmentColumn;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.WatchColumn;
import io.rsslab.results.WatchFolder;

/**
 * The report of a watch folder: each process's VmRSS and its free resident malloc memory (main and
 * thread arenas, bins and tops) over time, and a row per process. The charts draw the twelve
 * processes that held the most free resident memory (one colour each); the table has them all.
 */
final class WatchReport {

    private static final int DRAWN = Charts.PALETTE.length;

    private WatchReport() {
    }

    /** One process's readings (walked or carried) and how its watch ended. */
    private record Process(String name, String cgroup, List<CsvRow<WatchColumn>> readings, String last,
            String reason) {
        double peakFree() {
            return readings.stream().mapToDouble(WatchReport::freeKb).max().orElse(0);
        }
    }

    static HtmlReport.Written write(Path folder, Path out, Path charts) throws IOException, BadResultsException {
        HtmlReport.requireFiles(folder, "watch", WatchFolder.WATCH_FILE, ResultsFolder.ENVIRONMENT);
        List<CsvRow<EnvironmentColumn>> env = ResultsData.environment(folder);
        List<CsvRow<WatchColumn>> rows;
        try {
            // A watch ended by SIGKILL may have cut its last line: that line is left out.
            rows = WatchFolder.WATCH.read(folder.resolve(WatchFolder.WATCH_FILE), true).rows();
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
        Map<String, Process> byPid = new LinkedHashMap<>();
        for (CsvRow<WatchColumn> r : rows) {
            String key = r.get(WatchColumn.PID) + " " + r.get(WatchColumn.COMM);
            Process p = byPid.computeIfAbsent(key, k -> new Process(k, r.get(WatchColumn.CGROUP), new ArrayList<>(),
                    "", ""));
            String status = r.get(WatchColumn.STATUS);
            if (status.equals("walked") || status.equals("carried")) {
                p.readings().add(r);
            }
            byPid.put(key, new Process(key, p.cgroup(), p.readings(), status, status.equals("unreadable")
                    ? r.get(WatchColumn.REASON) : p.reason()));
        }
        List<Process> drawn = byPid.values().stream().filter(p -> !p.readings().isEmpty())
                .sorted(Comparator.comparingDouble(Process::peakFree).reversed()).limit(DRAWN).toList();
        Files.createDirectories(charts);
        StringBuilder body = new StringBuilder();
        body.append("<section><h2>").append(HtmlReport.esc(folder.toString())).append("</h2>\n");
        List<Path> files = new ArrayList<>();
        HtmlReport.chart(overTime("VmRSS of each process over time", "VmRSS, MiB", drawn,
                r -> r.getLong(WatchColumn.VM_RSS_KB) / 1024.0), charts, "watch-rss-over-time", body, files);
        HtmlReport.chart(overTime("Free resident malloc memory of each process over time (main and thread arenas, "
                + "bins and tops)", "free resident, MiB", drawn, r -> freeKb(r) / 1024.0), charts,
                "watch-free-resident-over-time", body, files);
        if (byPid.size() > drawn.size()) {
            body.append("<p>The charts draw the ").append(drawn.size()).append(" processes that held the most free "
                    + "resident memory, of ").append(byPid.size()).append(" in the table.</p>\n");
        }
        body.append("<table><tr><th>process</th><th>cgroup</th><th>readings</th><th>last VmRSS, MiB</th>"
                + "<th>peak free resident, MiB</th><th>last trim would return, MiB</th><th>ended as</th></tr>\n");
        for (Process p : byPid.values()) {
            CsvRow<WatchColumn> last = p.readings().isEmpty() ? null : p.readings().get(p.readings().size() - 1);
            body.append("<tr><td>").append(HtmlReport.esc(p.name())).append("</td><td>")
                    .append(HtmlReport.esc(p.cgroup())).append("</td><td>").append(p.readings().size())
                    .append("</td><td>").append(last == null ? "" : HtmlReport.mib(last.get(WatchColumn.VM_RSS_KB)))
                    .append("</td><td>").append(p.readings().isEmpty() ? "" : HtmlReport.mib(Long.toString(
                            (long) p.peakFree()))).append("</td><td>")
                    .append(last == null ? "" : HtmlReport.mib(last.get(WatchColumn.TRIM_RELEASABLE_KB)))
                    .append("</td><td>").append(HtmlReport.esc(p.reason().isEmpty() ? p.last()
                            : p.last() + ": " + p.reason())).append("</td></tr>\n");
        }
        body.append("</table>\n");
        HtmlReport.environmentDetails(env, body);
        Path html = out.resolve("report.html");
        Files.writeString(html, HtmlReport.page(folder.getFileName().toString(), "Which process holds freed memory, "
                + "and since when? Each process's VmRSS and the free memory its glibc malloc keeps resident, over "
                + "the watch; then a row per process.", body.toString()), StandardCharsets.UTF_8);
        return new HtmlReport.Written(html, files);
    }

    /** Free resident kB of a reading (main and thread); 0 where not known (another allocator). */
    private static double freeKb(CsvRow<WatchColumn> r) {
        return (r.isEmpty(WatchColumn.MAIN_FREE_RESIDENT_KB) ? 0 : r.getLong(WatchColumn.MAIN_FREE_RESIDENT_KB))
                + (r.isEmpty(WatchColumn.THREAD_FREE_RESIDENT_KB) ? 0
                        : r.getLong(WatchColumn.THREAD_FREE_RESIDENT_KB));
    }

    private static XYChart overTime(String title, String yTitle, List<Process> processes,
            ToDoubleFunction<CsvRow<WatchColumn>> y) {
        XYChart chart = new XYChartBuilder().width(960).height(560).title(title)
                .xAxisTitle("seconds since the watch started").yAxisTitle(yTitle).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setMarkerSize(5);
        int c = 0;
        for (Process p : processes) {
            List<CsvRow<WatchColumn>> rs = p.readings();
            XYSeries s = chart.addSeries(p.name(), rs.stream().mapToDouble(r -> r.getDouble(WatchColumn.SECONDS))
                    .toArray(), rs.stream().mapToDouble(y).toArray());
            s.setLineColor(Charts.PALETTE[c]);
            s.setMarkerColor(Charts.PALETTE[c]);
            s.setMarker(rs.size() <= 300 ? Charts.MARKERS[c] : SeriesMarkers.NONE);
            c++;
        }
        return chart;
    }
}
