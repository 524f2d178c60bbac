package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.launch.ReplayLauncher;
import io.rsslab.results.CallSites;
import io.rsslab.results.PinColumn;
import io.rsslab.results.RaiseColumn;
import io.rsslab.results.ReplayColumn;
import io.rsslab.results.ReplayFolder;
import io.rsslab.results.ReplayLevel;
import io.rsslab.trace.TraceFile;

/** replay's table (a row per replay, what stayed above the live blocks) and its progress lines. */
public final class ReplayTable {

    private static final String ROW = "%-24s %3s %-6s %-8s %12s %8s %10s %12s %10s %10s %12s %10s  %s%n";

    private ReplayTable() {
    }

    /** One line on err as each replay ends. */
    public static ReplayLauncher.Observer progress(PrintWriter err) {
        return (n, total, v, r, row) -> {
            boolean ok = row.get(ReplayColumn.STATUS).equals("ok");
            err.printf(Locale.ROOT, "[%d/%d] %s repeat %d: %s%n", n, total, v.name(), r, ok
                    ? String.format(Locale.ROOT, "%s calls, retained %.1f MiB at the end (%s s)",
                            row.get(ReplayColumn.EVENTS), kb(row, ReplayColumn.FINAL_RETAINED_KB) / 1024.0,
                            row.get(ReplayColumn.WALL_S))
                    : row.get(ReplayColumn.STATUS) + ": " + row.get(ReplayColumn.FAILURE));
            err.flush();
        };
    }

    /** runs.csv's rows as CSV, alone on out. */
    public static void csv(List<CsvRow<ReplayColumn>> rows, PrintWriter out) throws IOException {
        CSVPrinter p = new CSVPrinter(out, ReplayFolder.RUNS.format());
        for (CsvRow<ReplayColumn> r : rows) {
            p.printRecord(r.values());
        }
        p.flush();
    }

    public static void print(String trace, TraceFile.Shape shape, List<CsvRow<ReplayColumn>> rows, PrintWriter o) {
        // The calls as the replayer counted them (the records less the recorder's samples and marks), where it ran.
        long calls = rows.stream().filter(r -> r.get(ReplayColumn.STATUS).equals("ok")).findFirst()
                .map(r -> r.getLong(ReplayColumn.EVENTS)).orElse(shape.calls());
        o.println("trace: " + Text.printable(trace) + " (" + Text.printable(shape.header()
                .getOrDefault("command", "?")) + ", " + String.format(Locale.ROOT, "%,d", calls)
                + " calls, recorded with glibc " + Text.printable(shape.header().getOrDefault("glibc", "?")) + ")");
        o.printf(Locale.ROOT, ROW, "variant", "rep", "status", "timing", "calls", "wall s", "peak MiB",
                "before exit", "at exit", "kept peak", "kept bef.ex.", "kept exit", "verdict");
        for (CsvRow<ReplayColumn> r : rows) {
            boolean ok = r.get(ReplayColumn.STATUS).equals("ok");
            String timing = r.isEmpty(ReplayColumn.TIMING) ? "" : r.get(ReplayColumn.TIMING).equals("recorded")
                    ? "recorded" : "b2b";
            o.printf(Locale.ROOT, ROW, r.get(ReplayColumn.VARIANT),
                    r.get(ReplayColumn.REPEAT), r.get(ReplayColumn.STATUS), timing, r.get(ReplayColumn.EVENTS),
                    r.get(ReplayColumn.WALL_S), mib(r, ReplayColumn.PEAK_RSS_KB),
                    mib(r, ReplayColumn.BEFORE_EXIT_RSS_KB), mib(r, ReplayColumn.FINAL_RSS_KB),
                    mib(r, ReplayColumn.PEAK_RETAINED_KB), mib(r, ReplayColumn.BEFORE_EXIT_RETAINED_KB),
                    mib(r, ReplayColumn.FINAL_RETAINED_KB), ok ? r.get(ReplayColumn.VERDICT)
                            : r.get(ReplayColumn.FAILURE));
        }
        CsvRow<ReplayColumn> first = rows.stream().filter(r -> r.get(ReplayColumn.STATUS).equals("ok")).findFirst()
                .orElse(rows.get(0));
        if (shape.incomplete() != null) {
            o.println("the trace is " + shape.incomplete());
        }
        if (!first.isEmpty(ReplayColumn.REUSED_ADDRESSES) && !first.get(ReplayColumn.REUSED_ADDRESSES).equals("0")) {
            o.println(first.get(ReplayColumn.REUSED_ADDRESSES) + " allocation(s) at an address still live (its free "
                    + "is not in the trace: the first at record " + first.get(ReplayColumn.FIRST_REUSED_ADDRESS)
                    + "): the older block was freed there");
        }
        String level = ReplayLevel.describe(rows);
        if (level != null) {
            o.println(level);
        }
        if (!first.isEmpty(ReplayColumn.UNKNOWN_FREES) && !first.get(ReplayColumn.UNKNOWN_FREES).equals("0")) {
            o.println(first.get(ReplayColumn.UNKNOWN_FREES) + " free(s) of a block that was not live skipped (the "
                    + "first at record " + first.get(ReplayColumn.FIRST_UNKNOWN_FREE) + ")");
        }
        if (!first.isEmpty(ReplayColumn.UNKNOWN_REALLOCS) && !first.get(ReplayColumn.UNKNOWN_REALLOCS).equals("0")) {
            o.println(first.get(ReplayColumn.UNKNOWN_REALLOCS) + " realloc(s) of a block that was not live skipped");
        }
        o.println("timing: " + timings(rows) + " (b2b: back to back, every call at once; recorded: the program's "
                + "idle gaps slept)");
        if (!first.isEmpty(ReplayColumn.PROGRAM_ARENAS)) {
            o.println("arenas: the program's threads used " + first.get(ReplayColumn.PROGRAM_ARENAS) + ", the replay's "
                    + first.get(ReplayColumn.REPLAY_ARENAS) + (first.get(ReplayColumn.ARENA_THREADS_DIFFER).equals("0")
                            ? ", each thread in the arena it had"
                            : "; " + first.get(ReplayColumn.ARENA_THREADS_DIFFER) + " thread(s) in another arena than "
                                    + "the program's (see the output file's arena_differs lines)"));
        }
        if (first.isEmpty(ReplayColumn.BEFORE_EXIT_RSS_KB) && first.get(ReplayColumn.STATUS).equals("ok")) {
            o.println("before exit: unknown (the trace has no exit mark: recorded before trace version 3, or the "
                    + "program never called exit() nor returned from main)");
        }
        o.println("before exit: where the program called exit() or returned from main; at exit: after the exit's own "
                + "frees. kept: the replay's anonymous RSS above its own before the first call less the live bytes "
                + "the program had requested, within 0 and that RSS, so never more than the process holds; "
                + "\"kept peak\" is the largest over the samples");
    }

    private static String timings(List<CsvRow<ReplayColumn>> rows) {
        return rows.stream().filter(r -> !r.isEmpty(ReplayColumn.TIMING))
                .map(r -> r.get(ReplayColumn.VARIANT) + " " + r.get(ReplayColumn.TIMING)
                        + (r.isEmpty(ReplayColumn.SPEED) || Double.parseDouble(r.get(ReplayColumn.SPEED)) == 1 ? ""
                                : " at speed " + r.get(ReplayColumn.SPEED))
                        + (r.isEmpty(ReplayColumn.SLEPT_S) || r.get(ReplayColumn.TIMING).equals("back-to-back") ? ""
                                : " (" + r.get(ReplayColumn.SLEPT_S) + " s slept)"))
                .distinct().collect(java.util.stream.Collectors.joining(", "));
    }

    private static long kb(CsvRow<ReplayColumn> row, ReplayColumn c) {
        return row.isEmpty(c) ? 0 : Long.parseLong(row.get(c));
    }

    private static String mib(CsvRow<ReplayColumn> r, ReplayColumn c) {
        return r.isEmpty(c) ? "" : String.format(Locale.ROOT, "%.1f", Long.parseLong(r.get(c)) / 1024.0);
    }

    /** Call sites shown per moment on the terminal; pins.csv holds them all. */
    private static final int SITES_SHOWN = 5;

    /**
     * The first replay's call sites that keep memory: at the walk nearest its peak of kept memory (else where
     * exit began, else its end), the stacks whose blocks pin the most, and every free that raised the threshold.
     */
    public static void callSites(List<CsvRow<PinColumn>> pins, List<CsvRow<RaiseColumn>> raises, PrintWriter o) {
        String run = !pins.isEmpty() ? pins.get(0).get(PinColumn.RUN_ID)
                : !raises.isEmpty() ? raises.get(0).get(RaiseColumn.RUN_ID) : null;
        if (run == null) {
            return;
        }
        for (String moment : CallSites.MOMENTS) {
            List<CsvRow<PinColumn>> at = pins.stream().filter(r -> r.get(PinColumn.RUN_ID).equals(run)
                    && r.get(PinColumn.MOMENT).equals(moment)).toList();
            if (at.isEmpty()) {
                continue;
            }
            long kb = at.stream().mapToLong(r -> r.getLong(PinColumn.PINNED_KB)).sum();
            o.printf(Locale.ROOT, "%s, these %d call site(s) pin %.1f MiB of free memory the heap's top cannot "
                    + "shrink past (%s):%n", moment.equals("peak") ? "at the peak of kept memory" : moment.equals(
                    "before_exit") ? "where exit began" : "at the end", at.size(), kb / 1024.0, ReplayFolder.PINS_FILE);
            for (CsvRow<PinColumn> r : at.subList(0, Math.min(SITES_SHOWN, at.size()))) {
                o.printf(Locale.ROOT, "  %9.1f MiB  %6s block(s)  %s%n", r.getLong(PinColumn.PINNED_KB) / 1024.0,
                        r.get(PinColumn.BLOCKS), Text.printable(r.get(PinColumn.CALL_SITE)));
            }
            break;
        }
        List<CsvRow<RaiseColumn>> mine = raises.stream().filter(r -> r.get(RaiseColumn.RUN_ID).equals(run)).toList();
        if (!mine.isEmpty()) {
            o.printf(Locale.ROOT, "%d free(s) of mmapped blocks raised the mmap threshold (%s):%n", mine.size(),
                    ReplayFolder.RAISES_FILE);
            for (CsvRow<RaiseColumn> r : mine.subList(0, Math.min(SITES_SHOWN, mine.size()))) {
                o.printf(Locale.ROOT, "  to %7.1f MiB  record %s  %s%n", r.getLong(RaiseColumn.RAISED_TO_KB) / 1024.0,
                        r.get(RaiseColumn.RECORD), Text.printable(r.get(RaiseColumn.CALL_SITE)));
            }
        }
    }
}
