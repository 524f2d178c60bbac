package io.rsslab.cli;

import picocli.CommandLine.Option;

/** The memory guard's override and the children's time limit, for every command that starts children. */
public final class SafetyOptions {

    @Option(names = "--force", description = "Run even what cannot fit in the machine's memory (see the memory guard).")
    boolean force;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Stop a child that runs longer than this (default: no limit).")
    Integer timeout;

    java.time.Duration timeout() {
        if (timeout == null) {
            return null;
        }
        if (timeout < 1 || timeout > 86400) {
            throw new UserError("--timeout " + timeout + " is out of range (1 to 86400 seconds)");
        }
        return java.time.Duration.ofSeconds(timeout);
    }
}
