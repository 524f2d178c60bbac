package io.rsslab.fork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.rsslab.plan.RunSpec;
import io.rsslab.results.BadOutputException;
import io.rsslab.results.ChildOutput;

/**
 * Starts one fresh child for a run, with exactly the parent's environment
 * plus the variant's pairs, feeds its standard output to a validating
 * consumer as lines arrive, drains its standard error, and waits for it.
 */
public final class ChildRunner {

    static final int STDERR_TAIL_LINES = 20;

    private final Path java;
    private final List<String> jvmArgs;

    /** Children of the jvm host run the JVM running rsslab, with these options. */
    public ChildRunner(List<String> jvmArgs) {
        this(Path.of(ChildCommand.javaExecutable()), jvmArgs);
    }

    public ChildRunner(Path java, List<String> jvmArgs) {
        this.java = java;
        this.jvmArgs = List.copyOf(jvmArgs);
    }

    public ChildResult run(RunSpec spec, ChildOutput output) throws IOException {
        return run(spec, output, ChildOptions.DEFAULT);
    }

    public ChildResult run(RunSpec spec, ChildOutput output, ChildOptions options) throws IOException {
        List<String> command = ChildCommand.reaped(ChildCommand.forSpec(spec, java, jvmArgs, options));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(spec.variant().envMap());
        // Standard input stays a pipe only for a pause, where the parent answers on it.
        if (options.pauseAfterRound() == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        LiveChildren.add(p);
        try {
            return follow(p, t0, output, options);
        } finally {
            LiveChildren.remove(p);
        }
    }

    private ChildResult follow(Process p, long t0, ChildOutput output, ChildOptions options) throws IOException {
        StreamTail stderr = new StreamTail(p.getErrorStream(), STDERR_TAIL_LINES, "rsslab-stderr-" + p.pid());
        String failure = null;
        Reaped reaped = null;
        String actionOutput = null;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                // The reaper speaks last, after the child has gone.
                Reaped r = Reaped.parse(line).orElse(null);
                if (r != null) {
                    reaped = r;
                } else if (failure == null) {
                    if (line.startsWith(PAUSED) && options.action() != null) {
                        actionOutput = actDuringPause(line, options.action(), p);
                    }
                    try {
                        output.line(line);
                    } catch (BadOutputException e) {
                        // Stop the child (the reaper passes SIGTERM on), keep reading for its accounting.
                        // Process.destroy() would also close the stream being read; the handle only signals.
                        failure = e.getMessage();
                        p.toHandle().destroy();
                    }
                }
            }
        }
        int exit = waitFor(p);
        double wall = reaped != null ? reaped.wallSeconds() : (System.nanoTime() - t0) / 1e9;
        if (failure == null) {
            failure = judge(output, reaped != null ? reaped.exitValue() : exit);
        } else {
            failure = failure + " (rsslab stopped the child)";
        }
        return new ChildResult(exit, wall, reaped, failure, stderr.tail(), actionOutput);
    }

    static final String PAUSED = "paused\t";

    /** The child waits after a round: act on it, then let it go on with a line on its stdin. */
    private static String actDuringPause(String line, ChildOptions.PauseAction action, Process p) throws IOException {
        long pid = -1;
        int round = -1;
        for (String f : line.split("\t")) {
            if (f.startsWith("pid=")) {
                pid = Long.parseLong(f.substring(4));
            } else if (f.startsWith("k=")) {
                round = Integer.parseInt(f.substring(2));
            }
        }
        String out = action.act(pid, round);
        p.getOutputStream().write("go on\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        return out;
    }

    /** null if the output is complete and the child exited 0; else the most specific reason. */
    private static String judge(ChildOutput output, int exit) {
        String incomplete = null;
        try {
            output.end();
        } catch (BadOutputException e) {
            incomplete = e.getMessage();
        }
        if (exit == 0) {
            return incomplete;
        }
        String status = "the child " + ChildExit.describe(exit);
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
