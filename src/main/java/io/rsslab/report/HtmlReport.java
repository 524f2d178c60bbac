package io.rsslab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.knowm.xchart.internal.chartpart.Chart;

import io.rsslab.data.CsvCellException;
import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.plan.Churn;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.results.EnvironmentColumn;
import io.rsslab.results.FolderKind;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RunsColumn;

/**
 * The report of one or more results folders: charts (PNG and SVG in
 * charts/) and report.html, one self-contained page (the charts inline as
 * SVG, no script, nothing fetched) with the charts, the runs, the verdicts,
 * each machine's environment and the commands that made the folders.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /** What was written: the page and the charts. */
    public record Written(Path html, List<Path> charts) {
    }

    private static FolderKind kind(Path folder) throws BadResultsException {
        try {
            return FolderKind.of(folder);
        } catch (IOException | RuntimeException e) {
            throw new BadResultsException(folder.resolve(ResultsFolder.ENVIRONMENT) + " is not valid: " + e.getMessage());
        }
    }

    /**
     * Reads the folders (each must be a results folder of valid CSV: else a
     * BadResultsException naming what is wrong) and writes the report
     * into out, which must not exist yet.
     */
    public static Written write(List<Path> folders, Path out) throws IOException, BadResultsException {
        try {
            return written(folders, out);
        } catch (CsvCellException e) {
            // A number cell that is not one, met while drawing (CsvRow.getLong): the file, line and column.
            throw new BadResultsException(e.getMessage());
        }
    }

    private static Written written(List<Path> folders, Path out) throws IOException, BadResultsException {
        Path charts = out.resolve("charts");
        // The sections follow the folder's kind (environment.csv; FolderKind.of recognises an older folder by its files).
        FolderKind first = kind(folders.get(0));
        if (folders.size() == 1 && first == FolderKind.TRY) {
            return TryReport.write(folders.get(0), out, charts);
        }
        if (folders.size() == 1 && first == FolderKind.REPLAY) {
            return ReplayReport.write(folders.get(0), out, charts);
        }
        if (folders.size() == 1 && first == FolderKind.WATCH) {
            return WatchReport.write(folders.get(0), out, charts);
        }
        List<ResultsData> data = new ArrayList<>();
        for (Path f : folders) {
            FolderKind k = kind(f);
            if (k != FolderKind.SCENARIO) {
                throw new BadResultsException(f + " is a " + k.label() + " folder: its report is made of it alone");
            }
            data.add(ResultsData.read(f));
        }
        Files.createDirectories(charts);
        StringBuilder body = new StringBuilder();
        List<Path> drawn = new ArrayList<>();
        Map<String, List<ReferenceRow>> article = new LinkedHashMap<>();
        ReferenceFigures ref = ReferenceFigures.load();
        Set<Shown> shown = java.util.EnumSet.noneOf(Shown.class);
        if (data.size() > 1) {
            machines(data, charts, body, drawn);
            shown.add(Shown.MACHINES);
        }
        int n = 0;
        for (ResultsData d : data) {
            n++;
            body.append("<section><h2>").append(data.size() > 1 ? "Folder " + n + ": " : "")
                    .append(esc(d.folder().toString())).append("</h2>\n");
            body.append("<p class=\"machine\">").append(esc(d.machine())).append(", ")
                    .append(esc(d.fact("distribution"))).append("</p>\n");
            if (!d.command().isEmpty()) {
                body.append("<p>made by <code>").append(esc(d.command())).append("</code></p>\n");
            }
            List<String> variants = List.copyOf(d.variants());
            Set<String> swept = sweeps(d, n, charts, body, drawn);
            if (!swept.isEmpty()) {
                shown.add(Shown.SWEEP);
            }
            if (d.byScenarioAndHost().keySet().stream().anyMatch(sc -> Churn.labelOf(sc) != null)) {
                shown.add(Shown.CHURN);
            }
            for (Map.Entry<String, Map<String, List<CsvRow<RunsColumn>>>> s : d.byScenarioAndHost().entrySet()) {
                String scenario = s.getKey();
                if (swept.contains(scenario)) {
                    continue;
                }
                article.clear();
                for (String v : variants) {
                    List<ReferenceRow> r = ref.run(scenario, v);
                    if (!r.isEmpty()) {
                        article.put(v, r);
                    }
                }
                for (Map.Entry<String, List<CsvRow<RunsColumn>>> h : s.getValue().entrySet()) {
                    String host = h.getKey();
                    shown.add(Shown.ROUNDS);
                    if (!article.isEmpty() && host.equals("native")) {
                        shown.add(Shown.ARTICLE);
                    }
                    String id = "f" + n + "-" + scenario + "-" + host;
                    body.append("<h3>").append(esc(scenario)).append(" on the ").append(esc(host))
                            .append(" host</h3>\n");
                    chart(Charts.rounds(scenario, host, h.getValue(), d, variants, article), charts, id + "-rounds",
                            body, drawn);
                    chart(Charts.tradeOff(scenario, host, h.getValue(), variants), charts, id + "-tradeoff", body,
                            drawn);
                    chart(Charts.cpu(scenario, host, h.getValue()), charts, id + "-cpu", body, drawn);
                    TrimCost.section(scenario + " on the " + host + " host", "kept after the last round",
                            h.getValue().stream().map(r -> TrimCost.Run.of(r, RunsColumn.VARIANT, Charts.ok(r),
                                    RunsColumn.STEADY_RETAINED_KB, RunsColumn.USER_S, RunsColumn.SYS_S,
                                    RunsColumn.TRIMS, RunsColumn.TRIM_RETURNED_KB, RunsColumn.TRIM_PAUSE_MEDIAN_US,
                                    RunsColumn.TRIM_PAUSE_MAX_US, RunsColumn.TRIM_CPU_S)).toList(), variants, charts,
                            id + "-trimcost", body, drawn);
                    runsTable(h.getValue(), body);
                }
            }
            environment(d, body);
            body.append("</section>\n");
        }
        Path html = out.resolve("report.html");
        Files.writeString(html, page(data, intro(shown), body.toString()), StandardCharsets.UTF_8);
        return new Written(html, drawn);
    }

    /**
     * The churn scenarios run at several parameter values (a sweep): one
     * chart of what stayed against the swept parameter and one table per
     * label, in place of a section per point. Returns the scenarios drawn.
     */
    private static Set<String> sweeps(ResultsData d, int n, Path charts, StringBuilder body, List<Path> drawn)
            throws IOException {
        Map<String, List<CsvRow<RunsColumn>>> byLabel = new LinkedHashMap<>();
        Map<String, Set<String>> scenarios = new LinkedHashMap<>();
        d.byScenarioAndHost().forEach((scenario, hosts) -> {
            String label = Churn.labelOf(scenario);
            if (label != null) {
                hosts.values().forEach(rows -> byLabel.computeIfAbsent(label, k -> new ArrayList<>()).addAll(rows));
                scenarios.computeIfAbsent(label, k -> new java.util.HashSet<>()).add(scenario);
            }
        });
        Set<String> drawnScenarios = new java.util.HashSet<>();
        for (Map.Entry<String, List<CsvRow<RunsColumn>>> e : byLabel.entrySet()) {
            if (scenarios.get(e.getKey()).size() < 2) {
                continue;
            }
            List<String> swept = SweepChart.swept(e.getValue());
            body.append("<h3>").append(esc(e.getKey())).append(": a sweep of ").append(esc(String.join(", ", swept)))
                    .append(" (").append(scenarios.get(e.getKey()).size()).append(" points)</h3>\n");
            chart(SweepChart.chart(e.getKey(), e.getValue()), charts, "f" + n + "-sweep-" + e.getKey(), body, drawn);
            java.io.StringWriter table = new java.io.StringWriter();
            SweepTable.print(e.getValue(), swept, new java.io.PrintWriter(table));
            body.append("<pre class=\"sweep\">");
            table.toString().lines().forEach(line -> body.append(esc(line)).append('\n'));
            body.append("</pre>\n");
            drawnScenarios.addAll(scenarios.get(e.getKey()));
        }
        return drawnScenarios;
    }

    /** Several folders: per scenario and host, the same variants machine by machine. */
    private static void machines(List<ResultsData> data, Path charts, StringBuilder body, List<Path> drawn)
            throws IOException {
        body.append("<section><h2>Machine by machine</h2>\n<ul>");
        int n = 0;
        for (ResultsData d : data) {
            body.append("<li>folder ").append(++n).append(": ").append(esc(d.machine())).append("</li>");
        }
        body.append("</ul>\n");
        Map<String, LinkedHashSet<String>> hostsOf = new LinkedHashMap<>();
        LinkedHashSet<String> variants = new LinkedHashSet<>();
        for (ResultsData d : data) {
            d.byScenarioAndHost().forEach((s, hosts) -> hostsOf.computeIfAbsent(s, k -> new LinkedHashSet<>())
                    .addAll(hosts.keySet()));
            variants.addAll(d.variants());
        }
        for (Map.Entry<String, LinkedHashSet<String>> e : hostsOf.entrySet()) {
            for (String host : e.getValue()) {
                chart(Charts.machines(e.getKey(), host, data, List.copyOf(variants)), charts,
                        "machines-" + e.getKey() + "-" + host, body, drawn);
            }
        }
        body.append("</section>\n");
    }

    static void chart(Chart<?, ?> chart, Path dir, String name, StringBuilder body, List<Path> drawn)
            throws IOException {
        if (chart == null || chart.getSeriesMap().isEmpty()) {
            return;
        }
        Charts.Drawn d = Charts.save(chart, dir, name.replaceAll("[^A-Za-z0-9._-]", "_"));
        drawn.add(d.svg());
        drawn.add(d.png());
        String svg = Files.readString(d.svg(), StandardCharsets.UTF_8);
        int start = svg.indexOf("<svg");
        body.append("<figure class=\"chart\" id=\"").append(esc(d.name())).append("\">")
                .append(start < 0 ? "" : svg.substring(start))
                .append("<figcaption>").append(esc(d.title())).append(" (<a href=\"charts/").append(esc(d.name()))
                .append(".png\">PNG</a>, <a href=\"charts/").append(esc(d.name())).append(".svg\">SVG</a>)")
                .append("</figcaption></figure>\n");
    }

    private static void runsTable(List<CsvRow<RunsColumn>> runs, StringBuilder body) {
        body.append("<table><tr><th>variant</th><th>rep</th><th>status</th><th>kept, MiB</th><th>at most, MiB</th>"
                + "<th>since round</th><th>wall, s</th><th>user, s</th><th>sys, s</th><th>CPU against baseline</th>"
                + "<th>verdict, or why it failed</th></tr>\n");
        for (CsvRow<RunsColumn> r : runs) {
            boolean ok = Charts.ok(r);
            body.append("<tr").append(ok ? "" : " class=\"failed\"").append("><td>").append(esc(r.get(RunsColumn.VARIANT)))
                    .append("</td><td>").append(esc(r.get(RunsColumn.REPEAT))).append("</td><td>")
                    .append(ok ? "ok" : "<strong>FAILED</strong>").append("</td><td>")
                    .append(mib(r.get(RunsColumn.STEADY_RETAINED_KB))).append("</td><td>")
                    .append(mib(r.get(RunsColumn.MAX_RETAINED_KB))).append("</td><td>")
                    .append(esc(r.get(RunsColumn.KEEPING_SINCE_ROUND))).append("</td><td>")
                    .append(esc(r.get(RunsColumn.WALL_S))).append("</td><td>").append(esc(r.get(RunsColumn.USER_S)))
                    .append("</td><td>").append(esc(r.get(RunsColumn.SYS_S))).append("</td><td>")
                    .append(esc(r.get(RunsColumn.CPU_VS_BASELINE))).append("</td><td>")
                    .append(esc(ok ? r.get(RunsColumn.VERDICT) : r.get(RunsColumn.FAILURE)))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
    }

    static void environment(ResultsData d, StringBuilder body) {
        body.append("<details><summary>environment.csv: the machine and each variant's settings</summary>"
                + "<table><tr><th>section</th><th>name</th><th>value</th><th>note</th></tr>\n");
        for (CsvRow<EnvironmentColumn> r : d.environment()) {
            body.append("<tr><td>").append(esc(r.get(EnvironmentColumn.SECTION))).append("</td><td>")
                    .append(esc(r.get(EnvironmentColumn.NAME))).append("</td><td>")
                    .append(esc(r.get(EnvironmentColumn.VALUE))).append("</td><td>")
                    .append(esc(r.get(EnvironmentColumn.NOTE))).append("</td></tr>\n");
        }
        body.append("</table></details>\n");
    }

    /** The kinds of chart a page of results folders holds: its introduction reads only the ones it has. */
    enum Shown { MACHINES, ROUNDS, ARTICLE, SWEEP, CHURN }

    /** How to read the page: the charts it has, then what "kept" means in all of them. */
    static String intro(Set<Shown> shown) {
        StringBuilder s = new StringBuilder("Why a process keeps memory it has freed: what each variant kept after "
                + "the frees, and what it cost.");
        if (shown.contains(Shown.MACHINES)) {
            s.append(" Machine by machine: what each variant kept after the last round, a marker per folder.");
        }
        if (shown.contains(Shown.ROUNDS)) {
            s.append(" Solid lines: VmRSS after each round's frees; dashed: after its allocations")
                    .append(shown.contains(Shown.ARTICLE) ? "; dotted: the article's published figures." : ".");
        }
        if (shown.contains(Shown.SWEEP)) {
            s.append(" A sweep: what was kept against the swept parameter, a line per host and variant, each point "
                    + "the median of its repeats.");
        }
        s.append(" Kept: VmRSS after the last round's frees less VmRSS before the first");
        return s.append(shown.contains(Shown.CHURN) ? ", less what the program still held (a churn scenario's sealed "
                + "and leaked blocks)." : ".").toString();
    }

    private static String page(List<ResultsData> data, String intro, String body) {
        return page(String.join(", ", data.stream().map(d -> d.folder().getFileName().toString()).toList()),
                intro, body);
    }

    static String page(String title, String intro, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>rsslab report: "
                + esc(title) + "</title>\n<style>\n"
                + "body{font-family:sans-serif;margin:1.5em auto;max-width:1000px;color:#222;line-height:1.4}\n"
                + "table{border-collapse:collapse;font-size:13px;margin:.5em 0 1.5em}\n"
                + "td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top;text-align:left}\n"
                + "tr.failed td{background:#fde8e8}\nfigure.chart{margin:1em 0}\nfigure.chart svg{max-width:100%;"
                + "height:auto}\nfigcaption{font-size:13px;color:#555}\ncode{background:#f3f3f3;padding:1px 3px}\n"
                + "</style></head><body>\n<h1>rsslab report</h1>\n<p>" + esc(intro) + "</p>\n" + body
                + "</body></html>\n";
    }

    /** A try or replay folder has these files, or it is no such folder. */
    static void requireFiles(Path folder, String kind, String... files) throws BadResultsException {
        for (String f : files) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                throw new BadResultsException(folder + " is not a " + kind + " results folder (no " + f + ")");
            }
        }
    }

    /** environment.csv as a folded table, and the end of the folder's section. */
    static void environmentDetails(List<CsvRow<EnvironmentColumn>> env, StringBuilder body) {
        body.append("<details><summary>environment.csv</summary><table>");
        for (CsvRow<EnvironmentColumn> r : env) {
            body.append("<tr><td>").append(esc(r.get(EnvironmentColumn.SECTION))).append("</td><td>")
                    .append(esc(r.get(EnvironmentColumn.NAME))).append("</td><td>")
                    .append(esc(r.get(EnvironmentColumn.VALUE))).append("</td></tr>\n");
        }
        body.append("</table></details></section>\n");
    }

    static String mib(String kb) {
        return kb.isEmpty() ? "" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(kb) / 1024.0);
    }

    /** Text into HTML: &amp;, &lt;, &gt;, quotes; control characters escaped as rsslab escapes them everywhere. */
    static String esc(String s) {
        return Text.printable(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
