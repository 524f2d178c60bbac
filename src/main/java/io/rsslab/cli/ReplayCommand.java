package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.fork.BadOutputException;
import io.rsslab.fork.CommandRunner;
import io.rsslab.fork.ReplayOutput;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MachineFacts;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.results.ReplayColumn;
import io.rsslab.results.ReplayFolder;
import io.rsslab.results.ReplayLevel;
import io.rsslab.results.ReplaySampleColumn;
import io.rsslab.results.ReplaySummary;
import io.rsslab.results.TryPlanColumn;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab replay TRACE: a recorded program's malloc calls made again under each variant, in a child each. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a trace from rsslab record under each variant: every call in its recorded order, one "
                + "thread per recorded thread, every page of each block written; sample VmRSS, the live bytes the "
                + "program had requested and malloc's counters; say what stays above the live blocks and why.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "A trace written by rsslab record.")
    Path trace;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless one is composed.")
    List<String> variants = new ArrayList<>();

    @Mixin
    VariantOptions compose;

    @Option(names = "--host", paramLabel = "HOST", converter = HostConverter.class,
            description = "native (recorded thread 0 on the main thread, default) or thread (on a new thread).")
    Host host = Host.NATIVE;

    @Option(names = "--threads", paramLabel = "recorded|1",
            description = "One thread per recorded thread (recorded, default), or every call on one thread (1).")
    String threads = "recorded";

    @Option(names = "--sample-every", paramLabel = "N",
            description = "Sample every N calls (default: the trace's calls / 200, at least 1).")
    Long sampleEvery;

    @Option(names = "--repeat", paramLabel = "N", description = "Replay under each variant N times (default 1).")
    int repeat = 1;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or csv (runs.csv on stdout).")
    String format = "table";

    @Option(names = "--out", paramLabel = "DIR", description = "The results folder (new; default results/<time>).")
    Path out;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        if (!format.equals("table") && !format.equals("csv")) {
            throw new UserError("--format " + Text.printable(format) + ": table or csv");
        }
        if (!threads.equals("recorded") && !threads.equals("1")) {
            throw new UserError("--threads " + Text.printable(threads) + ": recorded or 1");
        }
        if (host == Host.JVM) {
            throw new UserError("--host jvm: a trace replays in the probe (native) or on a new thread (thread)");
        }
        if (repeat < 1 || repeat > 100) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 100)");
        }
        if (out != null && Files.exists(out)) {
            throw new UserError("--out " + out + " already exists; rsslab never reuses a results folder");
        }
        TraceFile.Shape shape = shape(trace);
        long every = sampleEvery != null ? sampleEvery : Math.max(1, shape.calls() / 200);
        if (every < 1) {
            throw new UserError("--sample-every " + every + ": at least 1 call");
        }
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), null);
        for (Variant v : vs) {
            if (v.trim() || v.jcmdTrim() || !v.jvmArgs().isEmpty()) {
                throw new UserError("variant " + v.name() + " applies to the scenarios' rounds or to a JVM, not to a "
                        + "replay: use the environment and preload variants");
            }
        }
        ReplayFolder folder = ReplayFolder.create(out);
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--replay",
                trace.toAbsolutePath().toString(), "--threads", threads, "--sample-every", Long.toString(every)));
        if (host == Host.THREAD) {
            cmd.add("--thread");
        }
        writeEnvironment(folder, shape, vs, every);
        PrintWriter err = spec.commandLine().getErr();
        int total = vs.size() * repeat;
        int n = 0;
        int failed = 0;
        for (Variant v : vs) {
            for (int r = 1; r <= repeat; r++) {
                String id = String.format(Locale.ROOT, "replay-%d-%03d-%s-%d", ProcessHandle.current().pid(), ++n,
                        v.name(), r);
                CsvRow<ReplayColumn> row = replay(folder, cmd, id, v, r);
                boolean ok = row.get(ReplayColumn.STATUS).equals("ok");
                failed += ok ? 0 : 1;
                if (!quiet) {
                    err.printf(Locale.ROOT, "[%d/%d] %s repeat %d: %s%n", n, total, v.name(), r, ok
                            ? String.format(Locale.ROOT, "%s calls, retained %.1f MiB at the end (%s s)",
                                    row.get(ReplayColumn.EVENTS), kb(row, ReplayColumn.FINAL_RETAINED_KB) / 1024.0,
                                    row.get(ReplayColumn.WALL_S))
                            : row.get(ReplayColumn.STATUS) + ": " + row.get(ReplayColumn.FAILURE));
                    err.flush();
                }
            }
        }
        return finish(folder, shape, failed);
    }

    /** The trace's header read and its length checked before any child starts. */
    static TraceFile.Shape shape(Path trace) {
        if (!Files.isRegularFile(trace)) {
            throw new UserError(Text.printable(trace.toString()) + ": " + (Files.exists(trace) ? "not a regular file"
                    : "no such file"));
        }
        try {
            return TraceFile.shape(trace);
        } catch (TraceException e) {
            throw new UserError(e.getMessage());
        }
    }

    private CsvRow<ReplayColumn> replay(ReplayFolder folder, List<String> cmd, String id, Variant v, int r)
            throws IOException {
        Path output = folder.dir().resolve(id + ".output.txt");
        Path report = folder.dir().resolve(id + ".reaped");
        CommandRunner.Outcome o = new CommandRunner(Duration.ofMillis(100), null).run(cmd, v.envMap(), v.preload(),
                output, report, s -> { }, null, pid -> { });
        Files.deleteIfExists(report);
        CsvRow<ReplayColumn> row = ReplayFolder.RUNS.row().set(ReplayColumn.RUN_ID, id)
                .set(ReplayColumn.VARIANT, v.name()).set(ReplayColumn.REPEAT, r).set(ReplayColumn.HOST, host.label())
                .set(ReplayColumn.THREADS, threads).set(ReplayColumn.ENV, v.envText())
                .set(ReplayColumn.PRELOAD, v.preloadText()).set(ReplayColumn.TRACE, trace.toString())
                .set(ReplayColumn.WALL_S, String.format(Locale.ROOT, "%.3f", o.wallSeconds()));
        if (o.reaped() != null) {
            row.set(ReplayColumn.USER_S, String.format(Locale.ROOT, "%.3f", o.reaped().userSeconds()))
                    .set(ReplayColumn.SYS_S, String.format(Locale.ROOT, "%.3f", o.reaped().sysSeconds()));
        }
        ReplayOutput out;
        try {
            out = ReplayOutput.read(output);
        } catch (BadOutputException e) {
            folder.add(row.set(ReplayColumn.STATUS, "failed").set(ReplayColumn.FAILURE, e.getMessage()), List.of());
            return row;
        }
        String failure = out.failure() != null ? out.failure() : o.failure();
        if (failure == null && v.preload() != null && out.base() != null && !out.base().preload().equals("loaded")) {
            failure = "the replay ran without its preload " + v.preload() + " (ld.so did not load it; see "
                    + output.getFileName() + ")";
        }
        if (failure == null && (out.base() == null || out.end() == null || out.last() == null)) {
            failure = "the replayer stopped before its end (see " + output.getFileName() + ")";
        }
        List<CsvRow<ReplaySampleColumn>> samples = new ArrayList<>();
        if (out.base() != null) {
            for (ReplayOutput.Sample s : out.samples()) {
                samples.add(ReplayFolder.SAMPLES.row().set(ReplaySampleColumn.RUN_ID, id)
                        .set(ReplaySampleColumn.VARIANT, v.name()).set(ReplaySampleColumn.REPEAT, r)
                        .set(ReplaySampleColumn.EVENTS, s.events()).set(ReplaySampleColumn.RECORDED_MS, s.recordedMs())
                        .set(ReplaySampleColumn.WALL_S, String.format(Locale.ROOT, "%.6f", s.wallSeconds()))
                        .set(ReplaySampleColumn.THREADS, s.threads()).set(ReplaySampleColumn.LIVE_KB, s.liveBytes() / 1024)
                        .set(ReplaySampleColumn.LIVE_BLOCKS, s.liveBlocks()).set(ReplaySampleColumn.RSS_KB, s.rssKb())
                        .set(ReplaySampleColumn.RSS_ANON_KB, s.rssAnonKb())
                        .set(ReplaySampleColumn.RETAINED_KB, s.retainedKb(out.base().rssKb()))
                        .set(ReplaySampleColumn.HEAP_KB, s.heapKb()).set(ReplaySampleColumn.HEAP_FREE_KB, s.heapFreeKb())
                        .set(ReplaySampleColumn.MMAPPED_KB, s.mmappedKb())
                        .set(ReplaySampleColumn.TOP_RELEASABLE_KB, s.topReleasableKb())
                        .set(ReplaySampleColumn.PROGRAM_RSS_KB, s.programRssKb()));
            }
        }
        if (out.end() != null) {
            ReplayOutput.End e = out.end();
            row.set(ReplayColumn.EVENTS, e.events()).set(ReplayColumn.COMPLETE, e.complete())
                    .set(ReplayColumn.FAILED_CALLS_SKIPPED, e.failedSkipped())
                    .set(ReplayColumn.UNKNOWN_FREES, e.unknownFrees())
                    .set(ReplayColumn.FIRST_UNKNOWN_FREE, e.unknownFrees() == 0 ? null : e.firstUnknownFree())
                    .set(ReplayColumn.UNKNOWN_REALLOCS, e.unknownReallocs())
                    .set(ReplayColumn.REUSED_ADDRESSES, e.reusedAddresses())
                    .set(ReplayColumn.FIRST_REUSED_ADDRESS, e.reusedAddresses() == 0 ? null : e.firstReusedAddress())
                    .set(ReplayColumn.PROGRAM_ENDED, e.programEnded());
            Long programFinal = out.last() == null ? null : out.last().programRssKb();
            row.set(ReplayColumn.PROGRAM_PEAK_RSS_KB, out.programPeakRssKb())
                    .set(ReplayColumn.PROGRAM_FINAL_RSS_KB, programFinal);
        }
        if (failure != null) {
            folder.add(row.set(ReplayColumn.STATUS, "failed").set(ReplayColumn.FAILURE, Text.printable(failure)),
                    samples);
            return row;
        }
        ReplaySummary s = ReplaySummary.of(out, v.preload(), host == Host.THREAD);
        ReplayOutput.Sample last = out.last();
        row.set(ReplayColumn.STATUS, "ok").set(ReplayColumn.BASE_RSS_KB, out.base().rssKb())
                .set(ReplayColumn.PEAK_RSS_KB, s.peakRssKb()).set(ReplayColumn.FINAL_RSS_KB, s.finalRssKb())
                .set(ReplayColumn.PEAK_LIVE_KB, s.peakLiveKb()).set(ReplayColumn.FINAL_LIVE_KB, s.finalLiveKb())
                .set(ReplayColumn.PEAK_RETAINED_KB, s.peakRetainedKb())
                .set(ReplayColumn.FINAL_RETAINED_KB, s.finalRetainedKb())
                .set(ReplayColumn.FINAL_HEAP_KB, last.heapKb()).set(ReplayColumn.FINAL_HEAP_FREE_KB, last.heapFreeKb())
                .set(ReplayColumn.FINAL_MMAPPED_KB, last.mmappedKb())
                .set(ReplayColumn.FINAL_TOP_RELEASABLE_KB, last.topReleasableKb())
                .set(ReplayColumn.VERDICT, s.verdict()).set(ReplayColumn.SAMPLES, out.samples().size());
        folder.add(row, samples);
        return row;
    }

    private static long kb(CsvRow<ReplayColumn> row, ReplayColumn c) {
        return row.isEmpty(c) ? 0 : Long.parseLong(row.get(c));
    }

    private int finish(ReplayFolder folder, TraceFile.Shape shape, int failed) throws IOException {
        List<CsvRow<ReplayColumn>> rows = folder.runs();
        PrintWriter o = spec.commandLine().getOut();
        if (failed == rows.size()) {
            // A trace that cannot be replayed fails every time alike: one line.
            throw new UserError(Text.printable(trace.toString()) + ": " + rows.get(0).get(ReplayColumn.FAILURE)
                    + " (results: " + folder.dir() + ")");
        }
        if (format.equals("csv")) {
            CSVPrinter p = new CSVPrinter(o, ReplayFolder.RUNS.format());
            for (CsvRow<ReplayColumn> r : rows) {
                p.printRecord(r.values());
            }
            p.flush();
            // The CSV alone on stdout: the folder and the report are named on stderr.
            return ReportCommand.closeFolder(folder.dir(), failed, rows.size(), spec.commandLine().getErr(),
                    spec.commandLine().getErr());
        }
        table(rows, shape, o);
        return ReportCommand.closeFolder(folder.dir(), failed, rows.size(), o, spec.commandLine().getErr());
    }

    private void table(List<CsvRow<ReplayColumn>> rows, TraceFile.Shape shape, PrintWriter o) {
        // The calls as the replayer counted them (the records less the program's VmRSS samples), where it ran.
        long calls = rows.stream().filter(r -> r.get(ReplayColumn.STATUS).equals("ok")).findFirst()
                .map(r -> r.getLong(ReplayColumn.EVENTS)).orElse(shape.calls());
        o.println("trace: " + Text.printable(trace.toString()) + " (" + Text.printable(shape.header()
                .getOrDefault("command", "?")) + ", " + String.format(Locale.ROOT, "%,d", calls)
                + " calls, recorded with glibc " + Text.printable(shape.header().getOrDefault("glibc", "?")) + ")");
        o.printf(Locale.ROOT, "%-24s %3s %-6s %12s %8s %10s %10s %10s %10s %10s  %s%n", "variant", "rep", "status",
                "calls", "wall s", "peak MiB", "final MiB", "live MiB", "kept peak", "kept end", "verdict");
        for (CsvRow<ReplayColumn> r : rows) {
            boolean ok = r.get(ReplayColumn.STATUS).equals("ok");
            o.printf(Locale.ROOT, "%-24s %3s %-6s %12s %8s %10s %10s %10s %10s %10s  %s%n", r.get(ReplayColumn.VARIANT),
                    r.get(ReplayColumn.REPEAT), r.get(ReplayColumn.STATUS), r.get(ReplayColumn.EVENTS),
                    r.get(ReplayColumn.WALL_S), mib(r, ReplayColumn.PEAK_RSS_KB), mib(r, ReplayColumn.FINAL_RSS_KB),
                    mib(r, ReplayColumn.FINAL_LIVE_KB), mib(r, ReplayColumn.PEAK_RETAINED_KB),
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
        o.println("kept: VmRSS - the live bytes the program had requested - the replayer's own VmRSS before the first "
                + "call; \"kept peak\" is the largest over the samples");
    }

    private static String mib(CsvRow<ReplayColumn> r, ReplayColumn c) {
        return r.isEmpty(c) ? "" : String.format(Locale.ROOT, "%.1f", Long.parseLong(r.get(c)) / 1024.0);
    }

    private void writeEnvironment(ReplayFolder folder, TraceFile.Shape shape, List<Variant> vs, long every)
            throws IOException {
        List<Fact> facts = new ArrayList<>(List.of(new Fact("rsslab", "command", Invocation.line(),
                "the command that made this folder"), new Fact("rsslab", "version", new Version().getVersion()[0], ""),
                new Fact("replay", "trace", trace.toAbsolutePath().toString(), "replayed under each variant"),
                new Fact("replay", "sample_every", Long.toString(every), "calls between samples")));
        shape.header().forEach((k, val) -> facts.add(new Fact("trace", k, val, "the trace's header")));
        facts.addAll(MachineFacts.collect(JavaRuntime.current() + " (java.home of the running rsslab)"));
        folder.writeEnvironment(facts);
        List<CsvRow<TryPlanColumn>> rows = new ArrayList<>();
        for (Variant v : vs) {
            for (int r = 1; r <= repeat; r++) {
                rows.add(ReplayFolder.PLAN.row().set(TryPlanColumn.RUN_ID, "").set(TryPlanColumn.VARIANT, v.name())
                        .set(TryPlanColumn.REPEAT, r).set(TryPlanColumn.ENV, v.envText())
                        .set(TryPlanColumn.PRELOAD, v.preloadText()).set(TryPlanColumn.JVM_OPTIONS, "")
                        .set(TryPlanColumn.DESCRIPTION, v.description())
                        .set(TryPlanColumn.COMMAND, "replay " + trace.toAbsolutePath()));
            }
        }
        folder.writePlan(rows);
    }
}
