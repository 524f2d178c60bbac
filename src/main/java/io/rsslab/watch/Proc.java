package io.rsslab.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What watch reads of a process each tick, cheaply and without touching its memory: /proc/PID/stat
 * (its start time, which tells a reused PID apart), comm, cgroup, cmdline, status (VmRSS, RssAnon,
 * the real uid), and the change signature (smaps_rollup's resident and anonymous totals, the
 * anonymous mappings' ranges from maps). A process that has gone reads as null.
 */
final class Proc {

    /** A process: its PID and the start time (clock ticks after boot) that makes the pair unique. */
    record Id(long pid, long start) {
    }

    /** A process as a scan of /proc saw it: its id and its comm then (an exec changes it). */
    record Seen(Id id, String comm) {
    }

    /** /proc/PID/status's figures watch needs. */
    record Status(long vmRssKb, long rssAnonKb, int uid) {
    }

    private static final Path PROC = Path.of("/proc");
    /** Compiled once: a String.split or replaceAll of a regex compiles it at every call, 30 times a reading. */
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Proc() {
    }

    /** Every process now (kernel threads and zombies have an empty cmdline: they are left out). */
    static List<Seen> all() throws IOException {
        List<Seen> ids = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(PROC, p -> p.getFileName().toString()
                .chars().allMatch(Character::isDigit))) {
            for (Path p : d) {
                Seen seen = seen(Long.parseLong(p.getFileName().toString()));
                if (seen != null) {
                    ids.add(seen);
                }
            }
        }
        return ids;
    }

    /** The process pid, or null if it has gone. */
    static Id id(long pid) {
        Seen s = seen(pid);
        return s == null ? null : s.id();
    }

    private static Seen seen(long pid) {
        String stat = read(pid, "stat");
        if (stat == null) {
            return null;
        }
        // The comm in parentheses may hold spaces and ')': the fields follow the last ')'. starttime is field 22.
        int close = stat.lastIndexOf(')');
        String[] f = stat.substring(close + 2).trim().split(" ");
        return new Seen(new Id(pid, Long.parseLong(f[19])), stat.substring(stat.indexOf('(') + 1, close));
    }

    static String comm(long pid) {
        String c = read(pid, "comm");
        return c == null ? "" : c.strip();
    }

    /** The cgroup v2 path (the "0::" line), or the first hierarchy's on cgroup v1. */
    static String cgroup(long pid) {
        String c = read(pid, "cgroup");
        if (c == null) {
            return "";
        }
        String first = "";
        for (String line : c.split("\n")) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
            if (first.isEmpty() && !line.isEmpty()) {
                first = line.substring(line.indexOf(':', line.indexOf(':') + 1) + 1);
            }
        }
        return first;
    }

    /** The command line, its arguments joined by spaces; empty for a kernel thread or a zombie. */
    static String cmdline(long pid) {
        String c = read(pid, "cmdline");
        return c == null ? "" : c.replace('\0', ' ').strip();
    }

    static Status status(long pid) {
        String s = read(pid, "status");
        if (s == null) {
            return null;
        }
        long rss = 0;
        long anon = 0;
        int uid = -1;
        for (String line : s.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rss = kb(line);
            } else if (line.startsWith("RssAnon:")) {
                anon = kb(line);
            } else if (line.startsWith("Uid:")) {
                uid = Integer.parseInt(SPACES.split(line.substring(4).trim(), 2)[0]);
            }
        }
        return new Status(rss, anon, uid);
    }

    /**
     * What changes when the heaps do: smaps_rollup's Rss and Anonymous (the resident pages) and the
     * ranges of the anonymous and [heap] mappings (their sizes). Null if either cannot be read.
     */
    static String signature(long pid) {
        String rollup = read(pid, "smaps_rollup");
        String maps = read(pid, "maps");
        if (rollup == null || maps == null) {
            return null;
        }
        StringBuilder sig = new StringBuilder();
        for (String line : rollup.split("\n")) {
            if (line.startsWith("Rss:") || line.startsWith("Anonymous:")) {
                sig.append(SPACES.matcher(line).replaceAll("")).append(';');
            }
        }
        for (String line : maps.split("\n")) {
            String[] f = SPACES.split(line, 6);
            if (f.length >= 5 && f[1].startsWith("rw") && (f.length == 5 || f[5].isBlank() || f[5].equals("[heap]"))) {
                sig.append(f[0]).append(';');
            }
        }
        return sig.toString();
    }

    private static long kb(String line) {
        return Long.parseLong(SPACES.split(line.substring(line.indexOf(':') + 1).trim(), 2)[0]);
    }

    /** /proc/PID/name, or null if the process has gone or it may not be read. */
    private static String read(long pid, String name) {
        try {
            return new String(Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve(name)),
                    StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            // Gone while read (ESRCH), or not ours to read (EACCES): the heap walk then says which.
            return null;
        }
    }
}
