package io.rsslab.fork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.run.Reaped;
import io.rsslab.trace.Stacks;

/**
 * A user's command run unmodified with librsslab-record.so preloaded, its
 * terminal its own (stdin, stdout and stderr inherited); every process of it
 * writes RECORD_DIR/PID.IMAGE.raw (src/main/c/record_preload.c). It runs
 * under the probe's reaper, as try's commands do: if rsslab dies (kill -9
 * too) the whole tree stops, and what is left of the tree when the command
 * ends (a daemon) is stopped too.
 */
public final class Recorder {

    public static final String DIR_ENV = "RSSLAB_RECORD_DIR";

    /** How the command ended: its exit status (128 + the signal when a signal ended it) and its PID. */
    public record Recording(int status, long pid) {
    }

    private Recorder() {
    }

    /**
     * Runs command with lib preloaded ahead of any LD_PRELOAD of the user's
     * (so that the recorder sees the calls first and passes them to glibc).
     */
    public static Recording run(List<String> command, Path lib, Path dir, Stacks stacks) throws IOException,
            InterruptedException {
        requireExecutable(command.get(0));
        Path report = dir.resolve("reaped");
        // --spool: if rsslab dies, the reaper removes the raw files too (they grow by the GB a minute).
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--reap", "--report",
                report.toString(), "--spool", dir.toAbsolutePath().toString(), "--"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        Map<String, String> env = pb.environment();
        // The reaper sets it in the command only (src/main/c/reap.h): the reaper itself is not recorded.
        String theirs = env.remove("LD_PRELOAD");
        env.put(ChildRunner.REAP_CHILD_PRELOAD, lib + (theirs == null || theirs.isBlank() ? "" : " " + theirs));
        env.put(DIR_ENV, dir.toAbsolutePath().toString());
        env.put(Stacks.ENV, stacks.value());
        Process p = pb.start();
        LiveChildren.add(p);
        try {
            int status = p.waitFor();
            Reaped r = Reaped.read(report).orElse(null);
            return r == null ? new Recording(status, -1) : new Recording(r.exitValue(), r.pid());
        } finally {
            LiveChildren.remove(p);
        }
    }

    /**
     * The reaper would start anything and report a command that cannot be
     * executed as an exit status (127), like one that ran: so the program is
     * found first, as execvp(3) finds it.
     */
    private static void requireExecutable(String name) throws IOException {
        if (name.contains("/")) {
            Path p = Path.of(name);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IOException(Files.exists(p) ? "not an executable file" : "no such file");
            }
            return;
        }
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":", -1)) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
        }
        throw new IOException("not found on PATH");
    }
}
