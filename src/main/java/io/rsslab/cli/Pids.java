package io.rsslab.cli;

import java.time.Duration;

/** The PID and --wait of the commands that act on a process (trim, tune). */
final class Pids {

    private Pids() {
    }

    static long parse(String text) {
        try {
            long pid = Long.parseLong(text);
            if (pid < 2) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new UserError("PID '" + text + "' is not a process id (a whole number, 2 or more)");
        }
    }

    static Duration waitOf(double seconds) {
        if (!(seconds >= 0 && seconds <= 600)) {
            throw new UserError("--wait must be 0 to 600 seconds");
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
