package io.rsslab.inspect;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.rsslab.machine.ExternalCommand;

/**
 * --stop: the process stands still (SIGSTOP) while it is read, and is always
 * let go (SIGCONT): after the walk, on an error, and from a shutdown hook on
 * Ctrl-C or SIGTERM. A process that was stopped already is left stopped.
 */
final class Freezer {

    private final Target target;
    private final boolean wasStopped;
    private final long t0;
    private final Thread hook;
    private boolean released;
    private long micros;

    private Freezer(Target target, boolean wasStopped) {
        this.target = target;
        this.wasStopped = wasStopped;
        this.t0 = System.nanoTime();
        this.hook = new Thread(this::cont, "rsslab-inspect-cont");
    }

    static Freezer stop(Target t) throws InspectException {
        boolean already = t.state() == 'T';
        Freezer f = new Freezer(t, already);
        if (!already) {
            Runtime.getRuntime().addShutdownHook(f.hook);
            signal(t, "STOP");
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (t.state() != 'T') {
                if (System.nanoTime() > deadline) {
                    f.release();
                    throw new InspectException("process " + t.pid() + " did not stop within 2 s");
                }
                Thread.onSpinWait();
            }
        }
        return f;
    }

    /** Lets the process go on (once); how long it stood still, in microseconds. */
    long release() {
        if (!released) {
            released = true;
            micros = (System.nanoTime() - t0) / 1000;
            cont();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // Shutting down already, or never added (it was stopped before): the hook ran or is not needed.
            }
        }
        return micros;
    }

    private void cont() {
        if (!wasStopped) {
            try {
                signal(target, "CONT");
            } catch (InspectException e) {
                System.err.println("rsslab: could not let process " + target.pid() + " go on: " + e.getMessage()
                        + " (kill -CONT " + target.pid() + ")");
            }
        }
    }

    private static void signal(Target t, String sig) throws InspectException {
        try {
            ExternalCommand.Result r = ExternalCommand.run(List.of("kill", "-" + sig, Long.toString(t.pid())), Map.of(),
                    Duration.ofSeconds(5), "kill");
            if (r.exit() != 0) {
                throw new InspectException("kill -" + sig + " " + t.pid() + " failed: " + r.err().strip());
            }
        } catch (IOException e) {
            throw new InspectException("kill -" + sig + " " + t.pid() + " did not run: " + e.getMessage());
        }
    }
}
