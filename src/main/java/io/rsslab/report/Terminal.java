package io.rsslab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a standard stream is a terminal, which Java 17 cannot tell for stderr alone. */
public final class Terminal {

    private Terminal() {
    }

    /** stderr is a terminal when fd 2 links to a tty device (Linux /proc). */
    public static boolean stderr() {
        return isTty(Path.of("/proc/self/fd/2"));
    }

    /** stdout is a terminal when fd 1 links to a tty device. */
    public static boolean stdout() {
        return isTty(Path.of("/proc/self/fd/1"));
    }

    static boolean isTty(Path fdLink) {
        try {
            String target = Files.readSymbolicLink(fdLink).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
