package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Host;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RoundsColumn;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.RunsColumn;

/** One scenario on the three hosts, side by side per round: rounds.csv read back, and the runs' rows. */
public final class HostsTable {

    private static final List<Host> HOSTS = List.of(Host.NATIVE, Host.THREAD, Host.JVM);

    private HostsTable() {
    }

    public static void print(Path folder, List<CsvRow<RunsColumn>> runs, PrintWriter out) throws IOException {
        Map<Integer, Map<String, CsvRow<RoundsColumn>>> byRound = new LinkedHashMap<>();
        for (CsvRow<RoundsColumn> c : RoundsCsv.SCHEMA.read(folder.resolve(ResultsFolder.ROUNDS), false).rows()) {
            byRound.computeIfAbsent(c.getInt(RoundsColumn.ROUND), k -> new LinkedHashMap<>())
                    .put(c.get(RoundsColumn.HOST), c);
        }
        out.printf("%5s %12s | %-19s | %-19s | %-19s%n", "", "", "native", "thread", "jvm");
        out.printf("%5s %12s | %10s %8s | %10s %8s | %10s %8s%n", "round", "allocated_kb", "kept_MiB", "mmap",
                "kept_MiB", "mmap", "kept_MiB", "mmap");
        for (Map.Entry<Integer, Map<String, CsvRow<RoundsColumn>>> e : byRound.entrySet()) {
            CsvRow<RoundsColumn> any = e.getValue().values().iterator().next();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d %12s", e.getKey(),
                    any.get(RoundsColumn.ALLOCATED_KB)));
            for (Host h : HOSTS) {
                CsvRow<RoundsColumn> c = e.getValue().get(h.label());
                row.append(String.format(Locale.ROOT, " | %10s %8s",
                        c == null ? "-" : RunsTable.mib(c.get(RoundsColumn.RETAINED_KB)),
                        c == null || c.isEmpty(RoundsColumn.MMAP_ALLOCS) ? "-" : c.get(RoundsColumn.MMAP_ALLOCS)));
            }
            out.println(row);
        }
        out.println("kept: VmRSS after the round's frees less VmRSS before the first round; "
                + "mmap: allocations glibc served with mmap");
        out.println();
        for (CsvRow<RunsColumn> c : runs) {
            String jcmd = c.isEmpty(RunsColumn.JCMD_OUTPUT) ? "" : "; jcmd after round " + c.get(RunsColumn.JCMD_ROUND)
                    + ": " + c.get(RunsColumn.JCMD_OUTPUT) + ", then "
                    + RunsTable.mib(c.get(RunsColumn.RETAINED_AFTER_JCMD_KB)) + " MiB kept";
            out.println(c.get(RunsColumn.HOST) + ": " + (c.get(RunsColumn.STATUS).equals("ok")
                    ? c.get(RunsColumn.VERDICT) : "FAILED: " + c.get(RunsColumn.FAILURE))
                    + (c.isEmpty(RunsColumn.JVM) ? "" : " (java " + c.get(RunsColumn.JVM) + ")") + jcmd);
        }
        out.flush();
    }
}
