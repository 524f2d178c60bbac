package io.rsslab.results;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import io.rsslab.plan.RunSpec;

/**
 * rounds CSV: RFC 4180 (CRLF, quotes only where needed), a header row, one
 * row per round, flushed as each row arrives so an interrupted run keeps
 * every finished round. Plain ASCII with a lower-case first header cell
 * (Excel takes a file starting with "ID" for SYLK).
 */
public final class RoundsCsv implements Closeable, Flushable {

    public static final List<String> COLUMNS = List.of("run_id", "scenario", "host", "variant", "env", "trim",
            "round", "allocated_kb", "rss_before_kb", "rss_after_alloc_kb", "rss_after_free_kb", "retained_kb",
            "repeat", "preload", "rss_anon_after_alloc_kb", "rss_anon_after_free_kb", "mmap_allocs",
            "mmap_threshold_kb", "heap_after_alloc_kb", "heap_free_after_alloc_kb", "mmapped_after_alloc_kb",
            "top_releasable_after_alloc_kb", "heap_after_free_kb", "heap_free_after_free_kb", "mmapped_after_free_kb",
            "top_releasable_after_free_kb", "alloc_minflt", "alloc_user_s", "alloc_sys_s", "alloc_wall_s",
            "free_minflt", "free_user_s", "free_sys_s", "free_wall_s", "minflt", "user_s", "sys_s", "wall_s");

    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(COLUMNS.toArray(String[]::new))
            .get();

    private final CSVPrinter printer;

    public RoundsCsv(Appendable out) throws IOException {
        this(out, false);
    }

    /** appending: the file has its header already. */
    public RoundsCsv(Appendable out, boolean appending) throws IOException {
        this.printer = new CSVPrinter(out, appending ? FORMAT.builder().setSkipHeaderRecord(true).get() : FORMAT);
        printer.flush();
    }

    public synchronized void write(RunSpec spec, RunStart start, Round r) throws IOException {
        List<Object> row = new ArrayList<>(List.of(spec.runId(), spec.scenario().name(), spec.host().label(),
                spec.variant().name(), spec.variant().envText(), spec.variant().trim(), r.round(), r.allocatedKb(),
                start.rssBeforeKb(), r.rssAfterAllocKb(), r.rssAfterFreeKb(), retainedKb(start, r), spec.repeat(),
                spec.variant().preloadText()));
        row.addAll(detailCells(r.detail()));
        printer.printRecord(row);
        printer.flush();
    }

    /** The explain columns; empty cells for what was not measured. */
    static List<Object> detailCells(RoundDetail d) {
        List<Object> cells = new ArrayList<>();
        if (d == null) {
            d = new RoundDetail(null, null, null, null, null, null, null, null, null);
        }
        cells.add(blank(d.rssAnonAfterAllocKb()));
        cells.add(blank(d.rssAnonAfterFreeKb()));
        cells.add(blank(d.mmapAllocs()));
        cells.add(blank(d.mmapThresholdKb()));
        for (RoundDetail.Heap h : java.util.Arrays.asList(d.afterAlloc(), d.afterFree())) {
            cells.add(h == null ? "" : h.heapKb());
            cells.add(h == null ? "" : h.heapFreeKb());
            cells.add(h == null ? "" : h.mmappedKb());
            cells.add(h == null ? "" : h.topReleasableKb());
        }
        RoundDetail.Cost total = d.alloc() == null || d.free() == null ? null : d.alloc().plus(d.free());
        for (RoundDetail.Cost c : java.util.Arrays.asList(d.alloc(), d.free(), total)) {
            cells.add(c == null ? "" : c.minflt());
            cells.add(c == null ? "" : seconds(c.userSeconds()));
            cells.add(c == null ? "" : seconds(c.sysSeconds()));
            cells.add(c == null ? "" : seconds(c.wallSeconds()));
        }
        return cells;
    }

    private static Object blank(Object o) {
        return o == null ? "" : o;
    }

    static String seconds(double s) {
        return String.format(java.util.Locale.ROOT, "%.6f", s);
    }

    /** A round back from a rounds.csv row, detail included (empty cells are null). */
    public static Round parse(org.apache.commons.csv.CSVRecord c) {
        RoundDetail.Heap afterAlloc = c.get("heap_after_alloc_kb").isEmpty() ? null
                : new RoundDetail.Heap(num(c, "heap_after_alloc_kb"), num(c, "heap_free_after_alloc_kb"),
                        num(c, "mmapped_after_alloc_kb"), num(c, "top_releasable_after_alloc_kb"));
        RoundDetail.Heap afterFree = c.get("heap_after_free_kb").isEmpty() ? null
                : new RoundDetail.Heap(num(c, "heap_after_free_kb"), num(c, "heap_free_after_free_kb"),
                        num(c, "mmapped_after_free_kb"), num(c, "top_releasable_after_free_kb"));
        RoundDetail detail = new RoundDetail(opt(c, "rss_anon_after_alloc_kb"), opt(c, "rss_anon_after_free_kb"),
                c.get("mmap_allocs").isEmpty() ? null : Integer.valueOf(c.get("mmap_allocs")), null,
                opt(c, "mmap_threshold_kb"), afterAlloc, afterFree, cost(c, "alloc_"), cost(c, "free_"));
        return new Round(Integer.parseInt(c.get("round")), num(c, "allocated_kb"), num(c, "rss_after_alloc_kb"),
                num(c, "rss_after_free_kb"), detail);
    }

    private static long num(org.apache.commons.csv.CSVRecord c, String col) {
        return Long.parseLong(c.get(col));
    }

    private static Long opt(org.apache.commons.csv.CSVRecord c, String col) {
        return c.get(col).isEmpty() ? null : Long.valueOf(c.get(col));
    }

    private static RoundDetail.Cost cost(org.apache.commons.csv.CSVRecord c, String phase) {
        return c.get(phase + "minflt").isEmpty() ? null : new RoundDetail.Cost(num(c, phase + "minflt"),
                Double.parseDouble(c.get(phase + "user_s")), Double.parseDouble(c.get(phase + "sys_s")),
                Double.parseDouble(c.get(phase + "wall_s")));
    }

    /** What stays resident after the frees, above the process's own base. */
    public static long retainedKb(RunStart start, Round r) {
        return r.rssAfterFreeKb() - start.rssBeforeKb();
    }

    @Override
    public void flush() throws IOException {
        printer.flush();
    }

    @Override
    public void close() throws IOException {
        printer.close();
    }
}
