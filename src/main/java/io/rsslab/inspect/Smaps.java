package io.rsslab.inspect;

import java.util.ArrayList;
import java.util.List;

/** Parses /proc/PID/smaps: a header line per mapping, then "Field:  N kB" lines. */
final class Smaps {

    private Smaps() {
    }

    static List<Mapping> parse(String text) {
        List<Mapping> out = new ArrayList<>();
        long start = 0;
        long end = 0;
        String perms = null;
        long inode = 0;
        String name = "";
        long rss = 0;
        for (String line : text.split("\n")) {
            if (isHeader(line)) {
                if (perms != null) {
                    out.add(new Mapping(start, end, perms, inode, name, rss));
                }
                String[] f = line.split("\\s+", 6);
                int dash = f[0].indexOf('-');
                start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
                end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
                perms = f[1];
                inode = Long.parseLong(f[4]);
                name = f.length > 5 ? f[5].strip() : "";
                rss = 0;
            } else if (line.startsWith("Rss:")) {
                rss = kb(line);
            }
        }
        if (perms != null) {
            out.add(new Mapping(start, end, perms, inode, name, rss));
        }
        return out;
    }

    /** "7f3c4a000000-7f3c4a021000 rw-p 00000000 00:00 0   [heap]" */
    private static boolean isHeader(String line) {
        int dash = line.indexOf('-');
        int space = line.indexOf(' ');
        return dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    private static long kb(String line) {
        String[] f = line.substring(line.indexOf(':') + 1).strip().split("\\s+");
        return Long.parseLong(f[0]);
    }
}
