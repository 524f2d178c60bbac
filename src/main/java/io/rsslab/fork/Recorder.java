package io.rsslab.fork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A user's command run unmodified with librsslab-record.so preloaded, its
 * terminal its own (stdin, stdout and stderr inherited); every process of it
 * writes RECORD_DIR/PID.IMAGE.raw (src/main/c/record_preload.c).
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
    public static Recording run(List<String> command, Path lib, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        String theirs = env.get("LD_PRELOAD");
        env.put("LD_PRELOAD", lib + (theirs == null || theirs.isBlank() ? "" : " " + theirs));
        env.put(DIR_ENV, dir.toAbsolutePath().toString());
        Process p = pb.start();
        LiveChildren.add(p);
        try {
            return new Recording(p.waitFor(), p.pid());
        } finally {
            LiveChildren.remove(p);
        }
    }
}
