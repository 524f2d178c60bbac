package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report of a folder with a number cell that is not one (issue 22, item 5):
 * one line naming the file, its line and the column, exit 2; never a
 * NumberFormatException (exit 70), never accepted.
 */
class BadNumbersTest {

    @TempDir
    static Path shared;
    static Path matrix;
    static Path tried;

    @TempDir
    Path dir;

    @BeforeAll
    static void folders() {
        matrix = shared.resolve("m");
        CliRunner.Outcome m = CliRunner.run("matrix", "--scenario", "article-4", "--quiet", "--out", matrix.toString());
        assertEquals(0, m.exitCode(), m.err());
        tried = shared.resolve("t");
        CliRunner.Outcome t = CliRunner.run("try", "--quiet", "--out", tried.toString(), "--", "sleep", "0.5");
        assertEquals(0, t.exitCode(), t.err());
    }

    Path copy(Path folder) throws Exception {
        Path c = dir.resolve("copy");
        Files.createDirectory(c);
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, c.resolve(f.getFileName()));
            }
        }
        return c;
    }

    void assertRefused(Path folder, String expected) {
        CliRunner.Outcome o = CliRunner.run("report", folder.toString(), "--out", dir.resolve("r").toString());
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertTrue(!Files.exists(dir.resolve("r")), "no report of it");
    }

    @Test
    void notANumberInRunsCsv() throws Exception {
        for (String bad : List.of("NaN", "Infinity", "lots")) {
            Path c = copy(matrix);
            ResumeTest.rewrite(c.resolve("runs.csv"), ResumeTest.set(0, "steady_retained_kb", bad));
            assertRefused(c, c.resolve("runs.csv") + " line 2: column steady_retained_kb holds '" + bad
                    + "' where a finite number is due");
            io.rsslab.data.Folders.deleteTree(c);
        }
    }

    @Test
    void notANumberInRoundsCsv() throws Exception {
        Path c = copy(matrix);
        ResumeTest.rewrite(c.resolve("rounds.csv"), ResumeTest.set(2, "rss_after_free_kb", "-Infinity"));
        assertRefused(c, c.resolve("rounds.csv") + " line 4: column rss_after_free_kb holds '-Infinity'");
    }

    @Test
    void abcSecondsInSamplesCsv() throws Exception {
        Path c = copy(tried);
        ResumeTest.rewrite(c.resolve("samples.csv"), ResumeTest.set(1, "seconds", "abc"));
        assertRefused(c, c.resolve("samples.csv") + " line 3: column seconds holds 'abc'");
    }

    @Test
    void aFractionWhereAWholeNumberIsDue() throws Exception {
        Path c = copy(tried);
        ResumeTest.rewrite(c.resolve("runs.csv"), ResumeTest.set(0, "final_rss_kb", "1.5"));
        assertRefused(c, c.resolve("runs.csv") + " line 2: column final_rss_kb holds '1.5' where a whole number is due");
    }
}
