package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk loses nothing and says so: every write is checked, a failed
 * one ends with one line and exit code 74, an old file is replaced only by
 * a complete new one, and a matrix cut short by the disk is completed with
 * --resume. A small tmpfs is the full disk (root can mount one here).
 */
class FullDiskTest {

    @TempDir
    Path dir;
    Path disk;

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectory(dir.resolve("disk"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "none", disk.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs root to mount a small tmpfs: " + out);
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", disk.toString()).start().waitFor();
    }

    /** Fills the disk, leaving about keepKb free; returns the filler. */
    Path fill(long keepKb) throws IOException {
        Path filler = disk.resolve("filler");
        long total = Files.getFileStore(disk).getTotalSpace();
        byte[] page = new byte[4096];
        try (OutputStream o = Files.newOutputStream(filler)) {
            for (long written = 0; written + keepKb * 1024 < total; written += page.length) {
                o.write(page);
            }
        } catch (IOException full) {
            // Full before the target: fine.
        }
        return filler;
    }

    static void assertOneLine(CliRunner.Outcome o) {
        assertEquals(ExitCodes.OUTPUT_FAILED, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains("No space left on device"), o.err());
        assertFalse(o.err().contains("internal error") || o.err().contains("Exception"), o.err());
    }

    @Test
    void runOutOnAFullDiskFailsWithOneLine() throws Exception {
        fill(0);
        Path out = disk.resolve("rounds.csv");
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--out", out.toString());
        assertOneLine(o);
        assertTrue(o.err().startsWith("rsslab: cannot write " + out), o.err());
    }

    @Test
    void overwriteOnAFullDiskKeepsTheOldFile() throws Exception {
        Path out = disk.resolve("old.csv");
        Files.writeString(out, "finished results\n");
        fill(0);
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--out", out.toString(), "--overwrite");
        assertOneLine(o);
        assertTrue(o.err().contains(out + " was kept as it was"), o.err());
        assertEquals("finished results\n", Files.readString(out));
    }

    @Test
    void aMatrixCutShortByTheDiskIsCompletedWithResume() throws Exception {
        Path filler = fill(32);
        Path out = disk.resolve("m");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--repeat", "6", "--jobs", "1",
                "--quiet", "--out", out.toString());
        assertOneLine(o);
        assertTrue(o.err().contains("rsslab matrix --resume " + out), o.err());
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains(".tmp")), "no temporary file left");
        }
        Files.delete(filler);
        CliRunner.Outcome resumed = CliRunner.run("matrix", "--resume", out.toString(), "--quiet");
        assertEquals(0, resumed.exitCode(), resumed.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals(6, runs.size());
        assertTrue(runs.stream().allMatch(r -> r.get("status").equals("ok")), runs.toString());
        assertEquals(30, Csv.read(out.resolve("rounds.csv")).size());
    }

    @Test
    void standardOutputThatCannotBeWrittenIsNotExitZero() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "run", "article-4", "--format", "csv");
        Process p = new ProcessBuilder(cmd).redirectOutput(new File("/dev/full")).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(ExitCodes.OUTPUT_FAILED, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("rsslab: cannot write standard output: No space left on device"), err);
    }
}
