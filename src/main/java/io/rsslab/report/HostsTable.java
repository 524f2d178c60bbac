package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import io.rsslab.plan.Host;

/** One scenario on the three hosts, side by side per round, read back from a results folder. */
public final class HostsTable {

    private static final List<Host> HOSTS = List.of(Host.NATIVE, Host.THREAD, Host.JVM);

    private HostsTable() {
    }

    public static void print(Path folder, PrintWriter out) throws IOException {
        Map<Integer, Map<String, CSVRecord>> byRound = new LinkedHashMap<>();
        for (CSVRecord c : read(folder.resolve("rounds.csv"))) {
            byRound.computeIfAbsent(Integer.parseInt(c.get("round")), k -> new LinkedHashMap<>())
                    .put(c.get("host"), c);
        }
        out.printf("%5s %12s | %-19s | %-19s | %-19s%n", "", "", "native", "thread", "jvm");
        out.printf("%5s %12s | %10s %8s | %10s %8s | %10s %8s%n", "round", "allocated_kb", "kept_MiB", "mmap",
                "kept_MiB", "mmap", "kept_MiB", "mmap");
        for (Map.Entry<Integer, Map<String, CSVRecord>> e : byRound.entrySet()) {
            CSVRecord any = e.getValue().values().iterator().next();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%5d %12s", e.getKey(),
                    any.get("allocated_kb")));
            for (Host h : HOSTS) {
                CSVRecord c = e.getValue().get(h.label());
                row.append(String.format(Locale.ROOT, " | %10s %8s", c == null ? "-" : mib(c.get("retained_kb")),
                        c == null || c.get("mmap_allocs").isEmpty() ? "-" : c.get("mmap_allocs")));
            }
            out.println(row);
        }
        out.println("kept: VmRSS after the round's frees less VmRSS before the first round; "
                + "mmap: allocations glibc served with mmap");
        out.println();
        for (CSVRecord c : read(folder.resolve("runs.csv"))) {
            String jcmd = c.get("jcmd_output").isEmpty() ? "" : "; jcmd after round " + c.get("jcmd_round") + ": "
                    + c.get("jcmd_output") + ", then " + mib(c.get("retained_after_jcmd_kb")) + " MiB kept";
            out.println(c.get("host") + ": " + (c.get("status").equals("ok") ? c.get("verdict")
                    : "FAILED: " + c.get("failure")) + (c.get("jvm").isEmpty() ? "" : " (java " + c.get("jvm") + ")")
                    + jcmd);
        }
        out.flush();
    }

    private static List<CSVRecord> read(Path csv) throws IOException {
        try (Reader r = Files.newBufferedReader(csv)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    private static String mib(String kb) {
        return kb.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f", Long.parseLong(kb) / 1024.0);
    }
}
