package io.rsslab.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The reaper's last line (src/main/c/reap.h): how the child ended and the
 * kernel's accounting of it from wait4(2). minflt is -1 from a reaper that
 * did not report it. left: how many processes of the command's tree were
 * still running when the command ended (a daemon, children it did not wait
 * for), which the reaper then stopped (SIGKILL); pid: the command's (0 from
 * a reaper that did not report them).
 */
public record Reaped(boolean signaled, int code, double wallSeconds, double userSeconds, double sysSeconds,
        long maxRssKb, long minflt, long left, long pid) {

    static final String TAG = "reaped\t";

    public Reaped(boolean signaled, int code, double wallSeconds, double userSeconds, double sysSeconds,
            long maxRssKb) {
        this(signaled, code, wallSeconds, userSeconds, sysSeconds, maxRssKb, -1, 0, 0);
    }

    public static Optional<Reaped> parse(String line) {
        if (!line.startsWith(TAG)) {
            return Optional.empty();
        }
        String[] f = line.split("\t");
        if (f.length < 7 || f.length > 10 || !(f[1].equals("exited") || f[1].equals("signaled"))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Reaped(f[1].equals("signaled"), Integer.parseInt(f[2]),
                    Long.parseLong(f[3]) / 1e6, Long.parseLong(f[4]) / 1e6, Long.parseLong(f[5]) / 1e6,
                    Long.parseLong(f[6]), f.length >= 8 ? Long.parseLong(f[7]) : -1,
                    f.length >= 9 ? Long.parseLong(f[8]) : 0, f.length >= 10 ? Long.parseLong(f[9]) : 0));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The line the reaper wrote to its --report file, if it did. */
    public static Optional<Reaped> read(Path report) {
        try {
            return parse(Files.readString(report, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The status as Java would report it: the exit code, or 128 + the signal. */
    public int exitValue() {
        return signaled ? 128 + code : code;
    }
}
