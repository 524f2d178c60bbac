package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The closing table of a matrix: one line per run, read back from runs.csv. */
public final class RunsTable {

    private static final String ROW = "%-10s %-6s %-24s %3s %-6s %10s %10s %6s %8s %7s %7s %10s%n";

    private RunsTable() {
    }

    public static void print(Path runsCsv, PrintWriter out) throws IOException {
        out.printf(ROW, "scenario", "host", "variant", "rep", "status", "kept_MiB", "max_MiB", "since", "wall_s",
                "user_s", "sys_s", "maxrss_MiB");
        List<String> why = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(runsCsv)) {
            for (CSVRecord c : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                String label = c.get("scenario") + " " + c.get("host") + " " + c.get("variant")
                        + (c.get("repeat").equals("1") ? "" : " #" + c.get("repeat"));
                String cost = c.get("cpu_vs_baseline").isEmpty() ? "" : " [" + c.get("cpu_vs_baseline") + "]";
                why.add(label + ": " + (c.get("status").equals("ok") ? c.get("verdict") : "FAILED: "
                        + c.get("failure")) + cost);
                out.printf(ROW, c.get("scenario"), c.get("host"), c.get("variant"), c.get("repeat"), c.get("status"),
                        mib(c.get("steady_retained_kb")), mib(c.get("max_retained_kb")),
                        dash(c.get("keeping_since_round")), c.get("wall_s"), dash(c.get("user_s")),
                        dash(c.get("sys_s")), mib(c.get("max_rss_kb")));
            }
        }
        out.println("kept: VmRSS after the frees of the last round less VmRSS before the first; "
                + "since: the round from which every round kept at least 10% of what it allocated");
        out.println();
        why.forEach(out::println);
        out.flush();
    }

    private static String mib(String kb) {
        return kb.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", Long.parseLong(kb) / 1024.0);
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
