package io.rsslab.fork;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.run.Reaped;

/**
 * Runs a user's command, unmodified and without a shell, under the probe's
 * reaper (which writes the kernel's accounting of it to a file of its own,
 * so the command's output stays the command's), and samples its whole
 * process tree from /proc while it runs: VmRSS and RssAnon summed over the
 * command and its descendants, and how many there are. Sampling reads /proc
 * only; its own CPU time is measured and returned.
 */
public final class CommandRunner {

    /** One reading of the process tree, seconds after the start. */
    public record Sample(double seconds, long rssKb, long rssAnonKb, int processes) {
    }

    /** Told each sample as it is taken. */
    public interface SampleSink {
        void sample(Sample s);
    }

    /**
     * How the command ended: the reaper's accounting (null if it did not
     * report), the wall time, why rsslab stopped it or part of its tree
     * (null: it ended by itself, and all of it), the last lines of its
     * output, a failure (null: it exited 0, or rsslab stopped it: --duration,
     * or rsslab itself was interrupted), what sampling cost, and whether
     * rsslab was interrupted (SIGINT/SIGTERM to rsslab: then stopped says
     * "interrupted by rsslab" and the command's own status is not a failure).
     */
    public record Outcome(Reaped reaped, double wallSeconds, String stopped, List<String> outputTail, String failure,
            double samplerCpuSeconds, int samples, boolean interrupted) {
    }

    static final int TAIL_LINES = 20;

    /** The library that marks where the command's exit began and its exit (src/main/c/exit_mark.c). */
    public static final String EXIT_MARK_LIBRARY = "librsslab-exitmark.so";
    /** Where it writes its lines (exit_mark.c). */
    static final String EXIT_MARK_ENV = "RSSLAB_EXIT_MARK";

    private final Duration interval;
    private final Duration duration;
    private final Path exitMark;

    /** interval: between samples; duration: stop the command after it (SIGTERM, then SIGKILL), or null. */
    public CommandRunner(Duration interval, Duration duration) {
        this(interval, duration, null);
    }

    /** exitMark: the command's exit marked into this file (ExitMarks reads it), or null. */
    public CommandRunner(Duration interval, Duration duration, Path exitMark) {
        this.interval = interval;
        this.duration = duration;
        this.exitMark = exitMark;
    }

    /**
     * Runs command with this process's environment plus env; its output (both
     * streams) goes to output. preload: the library the command must have
     * mapped (checked at the first sample), or null. inspectAt: seconds after
     * the start at which atInspect is given the command's pid, or null.
     */
    public Outcome run(List<String> command, Map<String, String> env, String preload, Path output, Path report,
            SampleSink sink, Double inspectAt, LongConsumer atInspect) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--reap", "--report",
                report.toString(), "--"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).redirectErrorStream(true);
        pb.environment().putAll(env);
        String ld = pb.environment().remove("LD_PRELOAD");
        if (exitMark != null) {
            // First, so that its destructor runs last; it interposes exit and __libc_start_main only.
            String mark = NativeLoader.unpack(EXIT_MARK_LIBRARY).toString();
            ld = ld == null ? mark : mark + " " + ld;
            pb.environment().put(EXIT_MARK_ENV, exitMark.toAbsolutePath().toString());
        }
        if (ld != null) {
            pb.environment().put(ChildRunner.REAP_CHILD_PRELOAD, ld);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Process p = pb.start();
        LiveChildren.add(p);
        String stopped = null;
        String failure = null;
        int samples = 0;
        boolean inspected = inspectAt == null;
        boolean preloadChecked = preload == null;
        try {
            long next = t0;
            long killAt = Long.MAX_VALUE;
            long reaperKillAt = Long.MAX_VALUE;
            while (p.isAlive()) {
                long now = System.nanoTime();
                double seconds = (now - t0) / 1e9;
                Sample s = TreeSample.of(p.toHandle(), seconds);
                if (s.processes() > 0) {
                    sink.sample(s);
                    samples++;
                    // The command's pid is wanted only until the preload is checked and the inspection done.
                    long main = preloadChecked && inspected ? 0 : TreeSample.mainChild(p.toHandle());
                    // Only once the reaper's child has become the command (before its exec it is the probe).
                    // And once ld.so has decided: right after exec it may not have mapped the preloads yet.
                    TreeSample.Preload loaded = preloadChecked || main <= 0 || !TreeSample.execed(main) ? null
                            : TreeSample.preload(main, preload);
                    if (loaded != null && loaded != TreeSample.Preload.UNDECIDED) {
                        preloadChecked = true;
                        if (loaded == TreeSample.Preload.MISSING) {
                            failure = "the command runs without its preload " + preload
                                    + " (ld.so did not load it; see its output)";
                            p.toHandle().destroy();
                            killAt = now + Duration.ofSeconds(3).toNanos();
                        }
                    }
                    if (!inspected && seconds >= inspectAt && main > 0) {
                        inspected = true;
                        atInspect.accept(main);
                    }
                }
                if (duration != null && stopped == null && now - t0 >= duration.toNanos()) {
                    stopped = "stopped by rsslab after " + duration.toSeconds() + " s (--duration): SIGTERM";
                    p.toHandle().destroy();
                    killAt = now + Duration.ofSeconds(3).toNanos();
                }
                if (now >= killAt) {
                    // The tree below the reaper first: the reaper then reaps it, stops what is left and reports.
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    if (stopped != null && !stopped.endsWith("SIGKILL")) {
                        stopped += ", then SIGKILL 3 s later";
                    }
                    killAt = Long.MAX_VALUE;
                    reaperKillAt = now + Duration.ofSeconds(2).toNanos();
                }
                if (now >= reaperKillAt) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    reaperKillAt = Long.MAX_VALUE;
                }
                next += interval.toNanos();
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } else {
                    next = System.nanoTime();
                }
            }
            p.waitFor();
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            LiveChildren.remove(p);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double samplerCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        Reaped reaped = Reaped.read(report).orElse(null);
        List<String> tail = tail(output);
        boolean interrupted = LiveChildren.terminating();
        if (interrupted && failure == null) {
            // rsslab's shutdown hook stopped the tree: the signal the command died of was rsslab's, not its failure.
            stopped = "interrupted by rsslab (it was sent SIGINT or SIGTERM)" + (stopped == null ? "" : "; " + stopped);
        }
        if (failure == null && stopped == null) {
            if (reaped == null) {
                failure = "the reaper did not report (" + ChildExit.describe(p.exitValue()) + ")";
            } else if (reaped.exitValue() != 0) {
                failure = "the command " + ChildExit.describeCommand(reaped.exitValue());
            }
        }
        if (reaped != null && reaped.left() > 0) {
            String left = escaped(reaped.left());
            stopped = stopped == null ? left : stopped + "; " + left;
        }
        return new Outcome(reaped, reaped != null ? reaped.wallSeconds() : wall, stopped, tail, failure, samplerCpu,
                samples, interrupted);
    }

    /** What the reaper stopped once the command had ended (src/main/c/reap.c: it is their subreaper). */
    static String escaped(long n) {
        return n + (n == 1 ? " process" : " processes") + " of its tree still ran when the command ended (a daemon, "
                + "or children it did not wait for): stopped by rsslab (SIGKILL)";
    }

    private static List<String> tail(Path output) {
        try {
            List<String> lines = Files.readAllLines(output, StandardCharsets.ISO_8859_1);
            return List.copyOf(lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return List.of();
        }
    }
}
