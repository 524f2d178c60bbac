package io.rsslab.machine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every program rsslab asks something of (a JVM about itself, glibc's
 * loader about its tunables, jcmd, getconf) runs here: without a shell,
 * with its output read on threads so it can never block on a full pipe,
 * within a time limit after which it and every process it started are
 * killed, and ended with rsslab if rsslab is stopped (Ctrl-C, SIGTERM).
 */
public final class ExternalCommand {

    /** What the program printed and how it ended. */
    public record Result(int exit, String out, String err) {
    }

    /** The program did not finish within its limit; it and its children were killed. */
    public static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(String message) {
            super(message);
        }
    }

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ExternalCommand::kill),
                "rsslab-external-commands"));
    }

    private ExternalCommand() {
    }

    /**
     * Runs command with this process's environment plus env (a null value
     * removes the variable), standard input empty; what a caller names the
     * program by goes in the messages.
     */
    public static Result run(List<String> command, Map<String, String> env, Duration limit, String what)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                new java.io.File("/dev/null")));
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p = pb.start();
        LIVE.add(p);
        try {
            Drain out = new Drain(p.getInputStream(), what + "-out");
            Drain err = new Drain(p.getErrorStream(), what + "-err");
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new TimedOut(what + " did not answer within " + limit.toSeconds() + " s (it was stopped)");
            }
            return new Result(p.exitValue(), out.text(), err.text());
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + what, e);
        } finally {
            LIVE.remove(p);
        }
    }

    /** The process and everything it started. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Reads a stream to its end on its own thread. */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in, String name) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException e) {
                    // The process was killed; what was read is kept.
                }
            }, "rsslab-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws InterruptedException {
            thread.join(2000);
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
