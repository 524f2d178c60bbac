package io.rsslab.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What librsslab-exitmark.so wrote inside a command (src/main/c/exit_mark.c):
 * its VmRSS where its exit began and at its exit, for the command's own pid
 * (a fork or exec'd child writes its own lines); null where that moment was
 * not reached (killed by a signal, _exit) or the file is not there.
 */
public record ExitMarks(Long beforeExitKb, Long atExitKb) {

    public static ExitMarks read(Path file, long pid) throws IOException {
        Long before = null;
        Long at = null;
        if (!Files.isRegularFile(file)) {
            return new ExitMarks(null, null);
        }
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            String[] f = line.split("\t", -1);
            Map<String, String> kv = RecordParser.keyValues(f);
            if (kv == null || !Long.toString(pid).equals(kv.get("pid")) || !kv.containsKey("rss_kb")) {
                continue;
            }
            long rss;
            try {
                rss = Long.parseLong(kv.get("rss_kb"));
            } catch (NumberFormatException e) {
                continue;
            }
            // The last image of that pid wins: a shell that exec'd the program writes nothing itself.
            if (f[0].equals("before_exit")) {
                before = rss;
            } else if (f[0].equals("at_exit")) {
                at = rss;
            }
        }
        return new ExitMarks(before, at);
    }
}
