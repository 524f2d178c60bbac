package io.rsslab.results;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
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
            "repeat", "preload");

    public static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader(COLUMNS.toArray(String[]::new))
            .get();

    private final CSVPrinter printer;

    public RoundsCsv(Appendable out) throws IOException {
        this.printer = new CSVPrinter(out, FORMAT);
        printer.flush();
    }

    public synchronized void write(RunSpec spec, RunStart start, Round r) throws IOException {
        printer.printRecord(spec.runId(), spec.scenario().name(), spec.host().label(), spec.variant().name(),
                spec.variant().envText(), spec.variant().trim(), r.round(), r.allocatedKb(), start.rssBeforeKb(),
                r.rssAfterAllocKb(), r.rssAfterFreeKb(), retainedKb(start, r), spec.repeat(),
                spec.variant().preloadText());
        printer.flush();
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
