package io.rsslab.cli;

import java.time.Duration;

/** The PID of the commands that take one (inspect, trim, tune) and the --wait of those that act on it. */
final class Pids {

    private Pids() {
    }

    /** trim and tune never act on init: 2 or more. */
    static long parse(String text) {
        return parse(text, 2);
    }

    /** A whole number, min or more (inspect reads PID 1 far enough to say why it will not walk it). */
    static long parse(String text, long min) {
        try {
            long pid = Long.parseLong(text);
            if (pid < min) {
                throw new NumberFormatException();
            }
            return pid;
        } catch (NumberFormatException e) {
            throw new UserError("PID '" + text + "' is not a process id (a whole number, " + min + " or more)");
        }
    }

    static Duration waitOf(double seconds) {
        if (!(seconds >= 0 && seconds <= 600)) {
            throw new UserError("--wait must be 0 to 600 seconds");
        }
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
