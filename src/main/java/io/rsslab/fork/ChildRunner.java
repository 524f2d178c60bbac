package io.rsslab.fork;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.machine.OomCounter;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.TrimPolicy;
import io.rsslab.run.ChildResult;
import io.rsslab.run.Reaped;
import io.rsslab.run.RunListener;

/**
 * The one owner of the fork protocol: starts one fresh child for a run,
 * with exactly the parent's environment plus the variant's pairs, reads
 * its standard output through the protocol's parser as lines arrive,
 * answers its pause, drains its standard error, and waits for it.
 */
public final class ChildRunner {

    static final int STDERR_TAIL_LINES = 20;

    /** src/main/c/reap.h: the name under which the reaper takes its child's LD_PRELOAD. */
    static final String REAP_CHILD_PRELOAD = "RSSLAB_CHILD_LD_PRELOAD";

    private final Path java;
    private final List<String> jvmArgs;
    private final Duration timeout;

    /** Children of the jvm host run the JVM running rsslab, with these options. */
    public ChildRunner(List<String> jvmArgs) {
        this(JavaRuntime.current(), jvmArgs);
    }

    public ChildRunner(Path java, List<String> jvmArgs) {
        this(java, jvmArgs, null);
    }

    private ChildRunner(Path java, List<String> jvmArgs, Duration timeout) {
        this.java = java;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.timeout = timeout;
    }

    /** The same runner, stopping a child that runs longer than timeout (null: no limit). */
    public ChildRunner withTimeout(Duration timeout) {
        return new ChildRunner(java, jvmArgs, timeout);
    }

    /** Runs spec in records format: each validated round to listener. */
    public ChildResult run(RunSpec spec, RunListener listener, ChildOptions options) throws IOException {
        ChildArgs args = ChildCommand.args(spec, options);
        Answer answer = new Answer(options.action());
        RecordParser parser = new RecordParser(spec, listener, options.threshold().start(), options.pauseAfterRound(),
                options.pauseAfterRound() == null ? null : answer);
        return start(spec, args, parser, answer, options.trimLog());
    }

    /** Runs spec in the article's own format: each validated line to echo, as the child printed it. */
    public ChildResult runSeed(RunSpec spec, Consumer<String> echo) throws IOException {
        ChildArgs args = new ChildArgs(spec.scenario().name(), spec.variant().trim(), true, true,
                spec.host() == Host.THREAD, null, null, null);
        SeedParser parser = new SeedParser(spec.scenario(), r -> { });
        ChildOutput output = new ChildOutput() {
            @Override
            public void line(String line) throws BadOutputException {
                parser.line(line);
                echo.accept(line);
            }

            @Override
            public void end() throws BadOutputException {
                parser.end();
            }
        };
        return start(spec, args, output, new Answer(null), null);
    }

    /** Answers a paused child: runs the action, then a line on its stdin lets it go on. */
    private static final class Answer implements RecordParser.PauseHandler {
        private final ChildOptions.PauseAction action;
        private Process process;

        Answer(ChildOptions.PauseAction action) {
            this.action = action;
        }

        @Override
        public String paused(int round, long pid) throws BadOutputException {
            String out = action.act(pid, round);
            try {
                process.getOutputStream().write("go on\n".getBytes(StandardCharsets.US_ASCII));
                process.getOutputStream().flush();
            } catch (IOException e) {
                throw new BadOutputException("the paused child could not be let go on: " + e.getMessage());
            }
            return out;
        }
    }

    private ChildResult start(RunSpec spec, ChildArgs args, ChildOutput output, Answer answer, Path trimLog)
            throws IOException {
        List<String> command = ChildCommand.reaped(ChildCommand.forArgs(spec, args, java, jvmArgs));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(trimLog == null ? spec.variant().envMap()
                : TrimPolicy.withLog(spec.variant().envMap(), trimLog));
        // The reaper passes the preload on to its child only (reap.h, REAP_CHILD_PRELOAD).
        String preload = pb.environment().remove("LD_PRELOAD");
        if (preload != null) {
            pb.environment().put(REAP_CHILD_PRELOAD, preload);
        }
        // Standard input stays a pipe only for a pause, where the parent answers on it.
        if (args.pauseAfter() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        long t0 = System.nanoTime();
        long oomBefore = OOM.count();
        Process p = pb.start();
        answer.process = p;
        LiveChildren.add(p);
        Watchdog watchdog = timeout == null ? null : new Watchdog(p, timeout);
        try {
            ChildResult r = follow(p, t0, output, oomBefore);
            if (watchdog != null && watchdog.fired()) {
                return new ChildResult(r.exitValue(), r.wallSeconds(), r.reaped(), "timed out after "
                        + timeout.toSeconds() + " s (rsslab stopped the child; --timeout)", r.stderrTail());
            }
            return r;
        } finally {
            if (watchdog != null) {
                watchdog.cancel();
            }
            LiveChildren.remove(p);
        }
    }

    private static final OomCounter OOM = OomCounter.forThisProcess();

    /** Why a SIGKILL was the OOM killer: the memory cgroup counted an OOM kill while the child ran; or null. */
    private static String oomEvidence(int exitValue, long oomBefore) {
        if (exitValue != 128 + 9 || oomBefore < 0 || OOM.count() <= oomBefore) {
            return null;
        }
        return "the memory cgroup " + OOM.cgroup() + " counted an OOM kill while it ran";
    }

    /** Stops the child (SIGTERM through the reaper, then SIGKILL) once its time is up. */
    private static final class Watchdog {
        private final Thread thread;
        private volatile boolean fired;

        Watchdog(Process p, Duration timeout) {
            thread = new Thread(() -> {
                try {
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        fired = true;
                        p.toHandle().destroy();
                        if (!p.waitFor(3, TimeUnit.SECONDS)) {
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "rsslab-timeout-" + p.pid());
            thread.setDaemon(true);
            thread.start();
        }

        boolean fired() {
            return fired;
        }

        void cancel() {
            thread.interrupt();
        }
    }

    private ChildResult follow(Process p, long t0, ChildOutput output, long oomBefore) throws IOException {
        StreamTail stderr = new StreamTail(p.getErrorStream(), STDERR_TAIL_LINES, "rsslab-stderr-" + p.pid());
        String failure = null;
        RuntimeException thrown = null;
        Reaped reaped = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                // The reaper speaks last, after the child has gone.
                Reaped r = Reaped.parse(line).orElse(null);
                if (r != null) {
                    reaped = r;
                } else if (failure == null && thrown == null) {
                    try {
                        output.line(line);
                    } catch (BadOutputException e) {
                        // Stop the child (the reaper passes SIGTERM on), keep reading for its accounting.
                        // Process.destroy() would also close the stream being read; the handle only signals.
                        failure = e.getMessage();
                        p.toHandle().destroy();
                    } catch (RuntimeException e) {
                        // The parent could not take the record (its output failed): stop the child too.
                        thrown = e;
                        p.toHandle().destroy();
                    }
                }
            }
        }
        int exit = waitFor(p);
        if (thrown != null) {
            throw thrown;
        }
        double wall = reaped != null ? reaped.wallSeconds() : (System.nanoTime() - t0) / 1e9;
        if (failure == null) {
            int status = reaped != null ? reaped.exitValue() : exit;
            failure = judge(output, status, oomEvidence(status, oomBefore));
        } else {
            failure = failure + " (rsslab stopped the child)";
        }
        return new ChildResult(exit, wall, reaped, failure, stderr.tail());
    }

    /** null if the output is complete and the child exited 0; else the most specific reason. */
    private static String judge(ChildOutput output, int exit, String oomEvidence) {
        String incomplete = null;
        try {
            output.end();
        } catch (BadOutputException e) {
            incomplete = e.getMessage();
        }
        if (exit == 0) {
            return incomplete;
        }
        String status = "the child " + ChildExit.describe(exit, oomEvidence);
        return incomplete == null ? status : incomplete + "; " + status;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for child " + p.pid(), e);
        }
    }
}
