package io.rsslab.report;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Churn;
import io.rsslab.results.RunsColumn;

/** The closing table of a matrix: one line per run, from the runs' rows. */
public final class RunsTable {

    private static final String ROW = "%-10s %-6s %-24s %3s %-6s %10s %10s %6s %8s %7s %7s %10s%n";

    private RunsTable() {
    }

    public static void print(List<CsvRow<RunsColumn>> runs, PrintWriter out) {
        out.printf(ROW, "scenario", "host", "variant", "rep", "status", "kept_MiB", "max_MiB", "since", "wall_s",
                "user_s", "sys_s", "maxrss_MiB");
        List<String> why = new ArrayList<>();
        for (CsvRow<RunsColumn> c : runs) {
            String label = shortName(c.get(RunsColumn.SCENARIO)) + " " + c.get(RunsColumn.HOST) + " " + c.get(RunsColumn.VARIANT)
                    + (c.get(RunsColumn.REPEAT).equals("1") ? "" : " #" + c.get(RunsColumn.REPEAT));
            String cost = c.isEmpty(RunsColumn.CPU_VS_BASELINE) ? "" : " [" + c.get(RunsColumn.CPU_VS_BASELINE) + "]";
            why.add(label + ": " + (c.get(RunsColumn.STATUS).equals("ok") ? c.get(RunsColumn.VERDICT)
                    : "FAILED: " + c.get(RunsColumn.FAILURE)) + cost);
            out.printf(ROW, shortName(c.get(RunsColumn.SCENARIO)), c.get(RunsColumn.HOST), c.get(RunsColumn.VARIANT),
                    c.get(RunsColumn.REPEAT), c.get(RunsColumn.STATUS), mib(c.get(RunsColumn.STEADY_RETAINED_KB)),
                    mib(c.get(RunsColumn.MAX_RETAINED_KB)), dash(c.get(RunsColumn.KEEPING_SINCE_ROUND)),
                    c.get(RunsColumn.WALL_S), dash(c.get(RunsColumn.USER_S)), dash(c.get(RunsColumn.SYS_S)),
                    mib(c.get(RunsColumn.MAX_RSS_KB)));
        }
        out.println("kept: VmRSS after the frees of the last round less VmRSS before the first; "
                + "since: the round from which every round kept at least 10% of what it allocated");
        out.println();
        why.forEach(out::println);
        out.flush();
    }

    /** A churn scenario by its label (its parameters are runs.csv's churn_ columns); others as they are. */
    static String shortName(String scenario) {
        String label = Churn.labelOf(scenario);
        return label == null ? scenario : label;
    }

    static String mib(String kb) {
        return kb.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(kb) / 1024.0);
    }

    private static String dash(String s) {
        return s.isEmpty() ? "-" : s;
    }
}
