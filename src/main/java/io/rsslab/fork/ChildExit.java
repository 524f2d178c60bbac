package io.rsslab.fork;

import java.util.Map;

/**
 * Words for a child's exit status. Java reports a child killed by signal N
 * as exit value 128 + N. Codes 2 and up are named by ChildExitCode (0 and 1
 * are also any program's, a JVM that failed to start among them).
 */
public final class ChildExit {

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
            Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"), Map.entry(24, "SIGXCPU"), Map.entry(25, "SIGXFSZ"));

    private ChildExit() {
    }

    public static String describe(int exitValue) {
        return describe(exitValue, null);
    }

    /** A user's command: its exit status and signal, without the meanings of rsslab's own children's codes. */
    public static String describeCommand(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65 ? describe(exitValue, null) : "exit status " + exitValue;
    }

    /** oomEvidence: why a SIGKILL was the OOM killer (e.g. the cgroup's counter rose), or null. */
    public static String describe(int exitValue, String oomEvidence) {
        if (exitValue == 0) {
            return "exited normally";
        }
        if (exitValue > 128 && exitValue < 128 + 65) {
            int sig = exitValue - 128;
            String name = SIGNALS.getOrDefault(sig, "signal " + sig);
            String hint = sig != 9 ? "" : oomEvidence != null ? ", likely the OOM killer: " + oomEvidence
                    : ", possibly the OOM killer";
            return "killed by " + name + hint + " (exit status " + exitValue + ")";
        }
        return "exit status " + exitValue + ChildExitCode.of(exitValue)
                .filter(c -> c.code() > ChildExitCode.MALLOC_FAILED.code())
                .map(c -> " (" + c.meaning() + ")").orElse("");
    }
}
