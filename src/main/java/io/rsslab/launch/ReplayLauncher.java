package io.rsslab.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.data.CsvRow;
import io.rsslab.data.Text;
import io.rsslab.fork.BadOutputException;
import io.rsslab.fork.CommandRunner;
import io.rsslab.fork.ReplayArgs;
import io.rsslab.fork.ReplayOutput;
import io.rsslab.machine.Fact;
import io.rsslab.machine.MemoryFigures;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.plan.Host;
import io.rsslab.plan.TraceScenario;
import io.rsslab.plan.TrimPolicy;
import io.rsslab.plan.Variant;
import io.rsslab.results.CallSites;
import io.rsslab.results.PinColumn;
import io.rsslab.results.RaiseColumn;
import io.rsslab.results.ReplayColumn;
import io.rsslab.results.ReplayFolder;
import io.rsslab.results.ReplaySampleColumn;
import io.rsslab.results.ReplaySummary;
import io.rsslab.results.TrimLog;
import io.rsslab.results.TryPlanColumn;
import io.rsslab.trace.Symbolizer;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TraceImage;
import io.rsslab.trace.TracePeak;

/**
 * rsslab replay: a trace's calls made again by the probe under each
 * variant, one child at a time (the Scheduler with one job), one row and
 * its samples per replay in a replay folder.
 */
public final class ReplayLauncher {

    /** What the command line chose, range-checked there; sampleEvery null: the trace's calls / 200. */
    public record Settings(Path trace, List<Variant> variants, Host host, boolean oneThread, Long sampleEvery,
            int repeat, Path out, Origin origin, Timing timing, double speed, boolean force) {

        /** The default timing, guarded by memory. */
        public Settings(Path trace, List<Variant> variants, Host host, boolean oneThread, Long sampleEvery,
                int repeat, Path out, Origin origin) {
            this(trace, variants, host, oneThread, sampleEvery, repeat, out, origin, Timing.AUTO, 1, false);
        }
    }

    /**
     * The replay's clock. AUTO (the default): the program's timing under a preloaded allocator, back to back
     * under glibc's malloc, which does nothing by time (it trims and consolidates inside the calls only:
     * malloc.c). Measured (docs/performance.md, "Timing"): a program that frees 190 MiB and then allocates
     * 40 kB every 2 ms for 4 s, replayed under jemalloc (dirty_decay_ms:1000), ends at 119 MiB back to back
     * and 19 MiB with its timing, as jemalloc's decay returns the pages with time; under tcmalloc 211 and
     * 213 MiB, under glibc 10.0 and 10.0 MiB.
     */
    public enum Timing {
        AUTO, RECORDED, BACK_TO_BACK;

        /** What the variant's replay uses. */
        public boolean recorded(Variant v) {
            return this == RECORDED || (this == AUTO && v.preload() != null);
        }
    }

    /** Told as each replay ends (report.ReplayTable's progress lines are one). */
    public interface Observer {
        void finished(int done, int total, Variant variant, int repeat, CsvRow<ReplayColumn> row);

        Observer NONE = (done, total, variant, repeat, row) -> {
        };
    }

    /** The folder, the trace's shape and the rows; failed: how many replays failed. */
    public record Outcome(Path folder, TraceFile.Shape shape, List<CsvRow<ReplayColumn>> runs, int failed,
            List<CsvRow<PinColumn>> pins, List<CsvRow<RaiseColumn>> raises) {
    }

    private record Replay(String id, Variant variant, int repeat) {
    }

    private final Settings s;
    private CallSites sites;

    private ReplayLauncher(Settings s) {
        this.s = s;
    }

    /** The trace checked before any child starts, then every replay; all failed alike is a LaunchError. */
    public static Outcome launch(Settings s, Observer observer) throws IOException {
        return new ReplayLauncher(s).run(observer);
    }

    private Outcome run(Observer observer) throws IOException {
        if (s.out() != null && Files.exists(s.out())) {
            throw new LaunchError("--out " + s.out() + " already exists; rsslab never reuses a results folder");
        }
        if (s.out() != null) {
            PlanLauncher.requireParent(s.out());
        }
        TraceFile.Shape shape = shape(s.trace());
        TracePeak peak = peak(s.trace());
        long needKb = guard(peak);
        long every = s.sampleEvery() != null ? s.sampleEvery() : Math.max(1, peak.calls() / 200);
        if (every < 1) {
            throw new LaunchError("--sample-every " + every + ": at least 1 call");
        }
        for (Variant v : s.variants()) {
            if (v.trim() || v.jcmdTrim() || !v.jvmArgs().isEmpty()) {
                throw new LaunchError("variant " + v.name() + " applies to the scenarios' rounds or to a JVM, not to a "
                        + "replay: use the environment and preload variants");
            }
        }
        sites = callSites(s.trace());
        ReplayFolder folder = ReplayFolder.create(s.out());
        String probe = NativeLoader.probe().toString();
        writeEnvironment(folder, shape, every);
        List<Job<Replay>> jobs = new ArrayList<>();
        int n = 0;
        for (Variant v : s.variants()) {
            for (int r = 1; r <= s.repeat(); r++) {
                String id = String.format(Locale.ROOT, "replay-%d-%03d-%s-%d", ProcessHandle.current().pid(), ++n,
                        v.name(), r);
                jobs.add(new Job<>(id, needKb, 0, new Replay(id, v, r)));
            }
        }
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int total = jobs.size();
        try {
            // One replay at a time: each measures the machine's memory, another beside it would disturb it.
            new Scheduler(1, MemoryFigures.UNLIMITED).runAll(jobs, job -> {
                try {
                    boolean recorded = s.timing().recorded(job.variant());
                    List<String> cmd = new ArrayList<>(List.of(probe));
                    cmd.addAll(new ReplayArgs(s.trace().toAbsolutePath().toString(), s.oneThread(), every,
                            s.host() == Host.THREAD, recorded, recorded ? s.speed() : 1).toArgs());
                    CsvRow<ReplayColumn> row = replay(folder, cmd, job);
                    if (!row.get(ReplayColumn.STATUS).equals("ok")) {
                        failed.incrementAndGet();
                    }
                    observer.finished(done.incrementAndGet(), total, job.variant(), job.repeat(), row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LaunchError("interrupted");
        }
        List<CsvRow<ReplayColumn>> rows = folder.runs();
        if (failed.get() == rows.size()) {
            // A trace that cannot be replayed fails every time alike: one line.
            throw new LaunchError(Text.printable(s.trace().toString()) + ": " + rows.get(0).get(ReplayColumn.FAILURE)
                    + " (results: " + folder.dir() + ")");
        }
        return new Outcome(folder.dir(), shape, rows, failed.get(), folder.pins(), folder.raises());
    }

    /** The trace's stack table (version 4) and its images, for naming the pins' and raises' call sites. */
    private static CallSites callSites(Path trace) {
        try (TraceFile.Reader r = new TraceFile.Reader(trace)) {
            return new CallSites(r.stacks(), new Symbolizer(TraceImage.of(r.header())));
        } catch (TraceException e) {
            throw new LaunchError(e.getMessage());
        }
    }

    /** Every record read once: the peak of live bytes from the calls themselves, or one line naming the record. */
    private static TracePeak peak(Path trace) {
        try {
            return TracePeak.of(trace);
        } catch (TraceException e) {
            throw new LaunchError(e.getMessage());
        }
    }

    /**
     * What a replay needs at its peak (the live bytes its calls requested, not the peak END declares: a
     * damaged or hand-made trace can declare 1 MiB and malloc 8 GiB, issue 22), refused before the folder
     * is made when the machine cannot give it, as MemoryGuard refuses a scenario; --force replays anyway.
     */
    private long guard(TracePeak peak) {
        long needKb = TraceScenario.neededMib(peak) * 1024;
        MemoryFigures memory = MemoryFigures.read();
        long budget = memory.budgetKb();
        if (!s.force() && needKb > budget) {
            throw new LaunchError(Text.printable(s.trace().toString()) + " needs " + MemoryFigures.size(needKb)
                    + " to replay (its calls hold " + MemoryFigures.size(peak.peakLiveMib() * 1024) + " live at their "
                    + "peak), but this machine can give " + MemoryFigures.size(budget) + " (" + memory.describe()
                    + ", less a 10% margin); --force to replay it anyway");
        }
        return needKb;
    }

    /** The trace's header read and its length checked before any child starts. */
    public static TraceFile.Shape shape(Path trace) {
        if (!Files.isRegularFile(trace)) {
            throw new LaunchError(Text.printable(trace.toString()) + ": " + (Files.exists(trace) ? "not a regular file"
                    : "no such file"));
        }
        try {
            return TraceFile.shape(trace);
        } catch (TraceException e) {
            throw new LaunchError(e.getMessage());
        }
    }

    private CsvRow<ReplayColumn> replay(ReplayFolder folder, List<String> cmd, Replay job) throws IOException {
        String id = job.id();
        Variant v = job.variant();
        int r = job.repeat();
        Path output = folder.dir().resolve(id + ".output.txt");
        Path report = folder.dir().resolve(id + ".reaped");
        // The periodic trimmer's log beside the run's other files (its figures: TrimLog.read of it).
        Path trimLog = TrimLog.file(folder.dir(), id);
        Map<String, String> env = TrimPolicy.withLog(v.envMap(), trimLog);
        CommandRunner.Outcome o = new CommandRunner(Duration.ofMillis(100), null).run(cmd, env, v.preload(),
                output, report, x -> { }, null, pid -> { });
        Files.deleteIfExists(report);
        TrimLog trims = TrimLog.readOrNull(trimLog);
        CsvRow<ReplayColumn> row = ReplayFolder.RUNS.row().set(ReplayColumn.RUN_ID, id)
                .set(ReplayColumn.VARIANT, v.name()).set(ReplayColumn.REPEAT, r).set(ReplayColumn.HOST, s.host().label())
                .set(ReplayColumn.THREADS, s.oneThread() ? "1" : "recorded").set(ReplayColumn.ENV, v.envText())
                .set(ReplayColumn.PRELOAD, v.preloadText()).set(ReplayColumn.TRACE, s.trace().toString())
                .set(ReplayColumn.WALL_S, String.format(Locale.ROOT, "%.3f", o.wallSeconds()));
        if (trims != null) {
            row.set(ReplayColumn.TRIMS, trims.trims()).set(ReplayColumn.TRIM_RETURNED_KB, trims.returnedKb())
                    .set(ReplayColumn.TRIM_PAUSE_MEDIAN_US, trims.pauseMedianUs())
                    .set(ReplayColumn.TRIM_PAUSE_MAX_US, trims.pauseMaxUs())
                    .set(ReplayColumn.TRIM_CPU_S, String.format(Locale.ROOT, "%.3f", trims.cpuSeconds()));
        }
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
            for (ReplayOutput.Sample x : out.samples()) {
                samples.add(ReplayFolder.SAMPLES.row().set(ReplaySampleColumn.RUN_ID, id)
                        .set(ReplaySampleColumn.VARIANT, v.name()).set(ReplaySampleColumn.REPEAT, r)
                        .set(ReplaySampleColumn.EVENTS, x.events()).set(ReplaySampleColumn.RECORDED_MS, x.recordedMs())
                        .set(ReplaySampleColumn.WALL_S, String.format(Locale.ROOT, "%.6f", x.wallSeconds()))
                        .set(ReplaySampleColumn.THREADS, x.threads()).set(ReplaySampleColumn.LIVE_KB, x.liveBytes() / 1024)
                        .set(ReplaySampleColumn.LIVE_BLOCKS, x.liveBlocks()).set(ReplaySampleColumn.RSS_KB, x.rssKb())
                        .set(ReplaySampleColumn.RSS_ANON_KB, x.rssAnonKb())
                        .set(ReplaySampleColumn.RETAINED_KB, x.retainedKb(out.base().rssAnonKb()))
                        .set(ReplaySampleColumn.HEAP_KB, x.heapKb()).set(ReplaySampleColumn.HEAP_FREE_KB, x.heapFreeKb())
                        .set(ReplaySampleColumn.MMAPPED_KB, x.mmappedKb())
                        .set(ReplaySampleColumn.TOP_RELEASABLE_KB, x.topReleasableKb())
                        .set(ReplaySampleColumn.PROGRAM_RSS_KB, x.programRssKb()));
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
        if (out.base() != null) {
            row.set(ReplayColumn.TIMING, out.base().timing())
                    .set(ReplayColumn.SPEED, out.base().timing().equals("recorded") ? s.speed() : null);
        }
        if (out.last() != null) {
            row.set(ReplayColumn.SLEPT_S, String.format(Locale.ROOT, "%.3f", out.last().sleptUs() / 1e6));
        }
        ReplayOutput.Sample before = out.beforeExit();
        if (before != null && out.base() != null) {
            row.set(ReplayColumn.BEFORE_EXIT_RSS_KB, before.rssKb())
                    .set(ReplayColumn.BEFORE_EXIT_LIVE_KB, before.liveBytes() / 1024)
                    .set(ReplayColumn.BEFORE_EXIT_RETAINED_KB, before.retainedKb(out.base().rssAnonKb()))
                    .set(ReplayColumn.PROGRAM_BEFORE_EXIT_RSS_KB, before.programRssKb());
        }
        if (out.arenas() != null) {
            row.set(ReplayColumn.PROGRAM_ARENAS, out.arenas().program() == 0 ? null : out.arenas().program())
                    .set(ReplayColumn.REPLAY_ARENAS, out.arenas().replay())
                    .set(ReplayColumn.ARENA_THREADS_DIFFER, out.arenas().program() == 0 ? null
                            : out.arenas().threadsDiffer());
        }
        if (failure != null) {
            folder.add(row.set(ReplayColumn.STATUS, "failed").set(ReplayColumn.FAILURE, Text.printable(failure)),
                    samples);
            return row;
        }
        folder.addCallSites(sites.pins(out, id, v.name(), r), sites.raises(out, id, v.name(), r));
        ReplaySummary sum = ReplaySummary.of(out, v.preload(), s.host() == Host.THREAD);
        ReplayOutput.Sample last = out.last();
        row.set(ReplayColumn.STATUS, "ok").set(ReplayColumn.BASE_RSS_KB, out.base().rssKb())
                .set(ReplayColumn.PEAK_RSS_KB, sum.peakRssKb()).set(ReplayColumn.FINAL_RSS_KB, sum.finalRssKb())
                .set(ReplayColumn.PEAK_LIVE_KB, sum.peakLiveKb()).set(ReplayColumn.FINAL_LIVE_KB, sum.finalLiveKb())
                .set(ReplayColumn.PEAK_RETAINED_KB, sum.peakRetainedKb())
                .set(ReplayColumn.FINAL_RETAINED_KB, sum.finalRetainedKb())
                .set(ReplayColumn.FINAL_HEAP_KB, last.heapKb()).set(ReplayColumn.FINAL_HEAP_FREE_KB, last.heapFreeKb())
                .set(ReplayColumn.FINAL_MMAPPED_KB, last.mmappedKb())
                .set(ReplayColumn.FINAL_TOP_RELEASABLE_KB, last.topReleasableKb())
                .set(ReplayColumn.VERDICT, sum.verdict()).set(ReplayColumn.SAMPLES, out.samples().size());
        folder.add(row, samples);
        return row;
    }

    private void writeEnvironment(ReplayFolder folder, TraceFile.Shape shape, long every) throws IOException {
        List<Fact> command = new ArrayList<>(List.of(
                new Fact("replay", "trace", s.trace().toAbsolutePath().toString(), "replayed under each variant"),
                new Fact("replay", "sample_every", Long.toString(every), "calls between samples")));
        shape.header().forEach((k, val) -> command.add(new Fact("trace", k, val, "the trace's header")));
        folder.writeEnvironment(s.origin().facts(command, List.of()));
        List<CsvRow<TryPlanColumn>> rows = new ArrayList<>();
        for (Variant v : s.variants()) {
            for (int r = 1; r <= s.repeat(); r++) {
                rows.add(ReplayFolder.PLAN.row().set(TryPlanColumn.RUN_ID, "").set(TryPlanColumn.VARIANT, v.name())
                        .set(TryPlanColumn.REPEAT, r).set(TryPlanColumn.ENV, v.envText())
                        .set(TryPlanColumn.PRELOAD, v.preloadText()).set(TryPlanColumn.JVM_OPTIONS, "")
                        .set(TryPlanColumn.DESCRIPTION, v.description())
                        .set(TryPlanColumn.COMMAND, "replay " + s.trace().toAbsolutePath()));
            }
        }
        folder.writePlan(rows);
    }
}
