package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.trace.TraceFile;

/**
 * SIGTERM to rsslab record (what Ctrl-C does too): the program is stopped, the
 * trace of what was recorded is written and said to be cut short, and no raw
 * data is left behind (neither beside the trace nor in /tmp).
 */
class RecordInterruptTest {

    @TempDir
    Path dir;

    @Test
    void sigtermWritesWhatWasRecordedAndLeavesNoRawData() throws Exception {
        Path out = dir.resolve("cut.trace");
        Process p = new ProcessBuilder("java", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "record", "--out", out.toString(), "--", "/bin/sleep", "30").redirectErrorStream(true)
                .redirectOutput(dir.resolve("said.txt").toFile()).start();
        // Until the program runs under the recorder: its raw file appears in the hidden folder beside the trace.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rawFiles() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, rawFolders().size(), "the raw folder is beside the trace");
        assertTrue(rawFiles() > 0, "the program is recorded");
        p.toHandle().destroy(); // SIGTERM
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "rsslab ends");
        String said = Files.readString(dir.resolve("said.txt"), StandardCharsets.UTF_8);
        assertEquals(143, p.exitValue(), said);
        assertTrue(said.contains("/bin/sleep 30: exit status 143"), said);
        assertTrue(said.contains("trace: " + out), said);
        assertTrue(said.contains("did not end through exit() or exec"), "said to be cut short: " + said);
        TraceFile.shape(out); // a whole trace file
        assertEquals(List.of(), rawFolders(), "no raw data left");
    }

    long rawFiles() throws Exception {
        long n = 0;
        for (Path f : rawFolders()) {
            try (Stream<Path> s = Files.list(f)) {
                n += s.filter(x -> x.getFileName().toString().endsWith(".raw")).count();
            } catch (java.nio.file.NoSuchFileException e) {
                // removed meanwhile
            }
        }
        return n;
    }

    List<Path> rawFolders() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().startsWith(".rsslab-record-")).toList();
        }
    }
}
