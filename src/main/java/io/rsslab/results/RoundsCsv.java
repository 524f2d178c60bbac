package io.rsslab.results;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.plan.RunSpec;
import io.rsslab.run.Round;
import io.rsslab.run.RoundDetail;
import io.rsslab.run.RunStart;

/**
 * rounds CSV: RFC 4180 (CRLF, quotes only where needed), a header row, one
 * row per round, flushed as each row arrives so an interrupted run keeps
 * every finished round. Plain ASCII with a lower-case first header cell
 * (Excel takes a file starting with "ID" for SYLK).
 */
public final class RoundsCsv implements Closeable, Flushable {

    public static final CsvSchema<RoundsColumn> SCHEMA = CsvSchema.of(RoundsColumn.class);

    private static final RunColumns<RoundsColumn> RUN = new RunColumns<>(RoundsColumn.RUN_ID, RoundsColumn.SCENARIO,
            RoundsColumn.HOST, RoundsColumn.VARIANT, RoundsColumn.ENV, RoundsColumn.PRELOAD, RoundsColumn.TRIM,
            RoundsColumn.REPEAT);

    private final CSVPrinter printer;
    /** A write failed (a full disk): nothing more is written, so no row can follow half a row. */
    private IOException failed;

    public RoundsCsv(Appendable out) throws IOException {
        this(out, false);
    }

    /** appending: the file has its header already. */
    public RoundsCsv(Appendable out, boolean appending) throws IOException {
        this.printer = new CSVPrinter(out, appending ? SCHEMA.appending() : SCHEMA.format());
        printer.flush();
    }

    public synchronized void write(RunSpec spec, RunStart start, Round r) throws IOException {
        if (failed != null) {
            throw new IOException("an earlier write failed: " + failed.getMessage(), failed);
        }
        try {
            printer.printRecord(row(spec, start, r).values());
            printer.flush();
        } catch (IOException e) {
            failed = e;
            throw e;
        }
    }

    /** A round's row: who ran it, what it measured, what the explain fields add, and jcmd's trim. */
    public static CsvRow<RoundsColumn> row(RunSpec spec, RunStart start, Round r) {
        CsvRow<RoundsColumn> row = RUN.fill(SCHEMA.row(), spec)
                .set(RoundsColumn.ROUND, r.round())
                .set(RoundsColumn.ALLOCATED_KB, r.allocatedKb())
                .set(RoundsColumn.RSS_BEFORE_KB, start.rssBeforeKb())
                .set(RoundsColumn.RSS_AFTER_ALLOC_KB, r.rssAfterAllocKb())
                .set(RoundsColumn.RSS_AFTER_FREE_KB, r.rssAfterFreeKb())
                .set(RoundsColumn.RETAINED_KB, r.retainedKb(start))
                .set(RoundsColumn.LIVE_AFTER_FREE_KB, r.liveAfterFreeKb());
        detail(row, r.detail());
        if (r.pause() != null) {
            row.set(RoundsColumn.JCMD_OUTPUT, r.pause().actionOutput())
                    .set(RoundsColumn.RSS_AFTER_JCMD_KB, r.pause().rssKb());
        }
        return row;
    }

    /** The explain columns; empty cells for what was not measured. */
    private static void detail(CsvRow<RoundsColumn> row, RoundDetail d) {
        if (d == null) {
            return;
        }
        row.set(RoundsColumn.RSS_ANON_AFTER_ALLOC_KB, d.rssAnonAfterAllocKb())
                .set(RoundsColumn.RSS_ANON_AFTER_FREE_KB, d.rssAnonAfterFreeKb())
                .set(RoundsColumn.MMAP_ALLOCS, d.mmapAllocs())
                .set(RoundsColumn.MMAP_THRESHOLD_KB, d.mmapThresholdKb());
        heap(row, d.afterAlloc(), RoundsColumn.HEAP_AFTER_ALLOC_KB, RoundsColumn.HEAP_FREE_AFTER_ALLOC_KB,
                RoundsColumn.MMAPPED_AFTER_ALLOC_KB, RoundsColumn.TOP_RELEASABLE_AFTER_ALLOC_KB);
        heap(row, d.afterFree(), RoundsColumn.HEAP_AFTER_FREE_KB, RoundsColumn.HEAP_FREE_AFTER_FREE_KB,
                RoundsColumn.MMAPPED_AFTER_FREE_KB, RoundsColumn.TOP_RELEASABLE_AFTER_FREE_KB);
        RoundDetail.Cost total = d.alloc() == null || d.free() == null ? null : d.alloc().plus(d.free());
        cost(row, d.alloc(), RoundsColumn.ALLOC_MINFLT, RoundsColumn.ALLOC_USER_S, RoundsColumn.ALLOC_SYS_S,
                RoundsColumn.ALLOC_WALL_S);
        cost(row, d.free(), RoundsColumn.FREE_MINFLT, RoundsColumn.FREE_USER_S, RoundsColumn.FREE_SYS_S,
                RoundsColumn.FREE_WALL_S);
        cost(row, total, RoundsColumn.MINFLT, RoundsColumn.USER_S, RoundsColumn.SYS_S, RoundsColumn.WALL_S);
    }

    private static void heap(CsvRow<RoundsColumn> row, RoundDetail.Heap h, RoundsColumn heap, RoundsColumn free,
            RoundsColumn mmapped, RoundsColumn top) {
        if (h != null) {
            row.set(heap, h.heapKb()).set(free, h.heapFreeKb()).set(mmapped, h.mmappedKb())
                    .set(top, h.topReleasableKb());
        }
    }

    private static void cost(CsvRow<RoundsColumn> row, RoundDetail.Cost c, RoundsColumn minflt, RoundsColumn user,
            RoundsColumn sys, RoundsColumn wall) {
        if (c != null) {
            row.set(minflt, c.minflt()).set(user, seconds(c.userSeconds())).set(sys, seconds(c.sysSeconds()))
                    .set(wall, seconds(c.wallSeconds()));
        }
    }

    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.6f", s);
    }

    /** A round back from a rounds.csv row, detail and jcmd's pause included (empty cells are null). */
    public static Round parse(CsvRow<RoundsColumn> c) {
        RoundDetail.Heap afterAlloc = c.isEmpty(RoundsColumn.HEAP_AFTER_ALLOC_KB) ? null
                : new RoundDetail.Heap(c.getLong(RoundsColumn.HEAP_AFTER_ALLOC_KB),
                        c.getLong(RoundsColumn.HEAP_FREE_AFTER_ALLOC_KB), c.getLong(RoundsColumn.MMAPPED_AFTER_ALLOC_KB),
                        c.getLong(RoundsColumn.TOP_RELEASABLE_AFTER_ALLOC_KB));
        RoundDetail.Heap afterFree = c.isEmpty(RoundsColumn.HEAP_AFTER_FREE_KB) ? null
                : new RoundDetail.Heap(c.getLong(RoundsColumn.HEAP_AFTER_FREE_KB),
                        c.getLong(RoundsColumn.HEAP_FREE_AFTER_FREE_KB), c.getLong(RoundsColumn.MMAPPED_AFTER_FREE_KB),
                        c.getLong(RoundsColumn.TOP_RELEASABLE_AFTER_FREE_KB));
        RoundDetail detail = new RoundDetail(opt(c, RoundsColumn.RSS_ANON_AFTER_ALLOC_KB),
                opt(c, RoundsColumn.RSS_ANON_AFTER_FREE_KB),
                c.isEmpty(RoundsColumn.MMAP_ALLOCS) ? null : Integer.valueOf(c.getInt(RoundsColumn.MMAP_ALLOCS)), null,
                opt(c, RoundsColumn.MMAP_THRESHOLD_KB), afterAlloc, afterFree,
                cost(c, RoundsColumn.ALLOC_MINFLT, RoundsColumn.ALLOC_USER_S, RoundsColumn.ALLOC_SYS_S,
                        RoundsColumn.ALLOC_WALL_S),
                cost(c, RoundsColumn.FREE_MINFLT, RoundsColumn.FREE_USER_S, RoundsColumn.FREE_SYS_S,
                        RoundsColumn.FREE_WALL_S));
        Round.Pause pause = c.isEmpty(RoundsColumn.RSS_AFTER_JCMD_KB) ? null
                : new Round.Pause(c.get(RoundsColumn.JCMD_OUTPUT), c.getLong(RoundsColumn.RSS_AFTER_JCMD_KB), -1);
        return new Round(c.getInt(RoundsColumn.ROUND), c.getLong(RoundsColumn.ALLOCATED_KB),
                c.getLong(RoundsColumn.RSS_AFTER_ALLOC_KB), c.getLong(RoundsColumn.RSS_AFTER_FREE_KB), detail, pause,
                opt(c, RoundsColumn.LIVE_AFTER_FREE_KB));
    }

    private static Long opt(CsvRow<RoundsColumn> c, RoundsColumn col) {
        return c.isEmpty(col) ? null : Long.valueOf(c.getLong(col));
    }

    private static RoundDetail.Cost cost(CsvRow<RoundsColumn> c, RoundsColumn minflt, RoundsColumn user,
            RoundsColumn sys, RoundsColumn wall) {
        return c.isEmpty(minflt) ? null : new RoundDetail.Cost(c.getLong(minflt), c.getDouble(user),
                c.getDouble(sys), c.getDouble(wall));
    }

    /** The file's columns, by name, in order. */
    public static List<String> headers() {
        return SCHEMA.headers();
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
