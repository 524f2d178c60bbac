package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22's messages (class 7) and --out under a folder that does not exist
 * (issue 23): each says what is true, in one line, exit 2 where the input is bad.
 */
class MessagesTest {

    @TempDir
    Path dir;

    static void oneLine(CliRunner.Outcome o, String expected) {
        assertEquals(2, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains(expected), o.err());
    }

    @Test
    void tryHelpListsNoOptionTryRefuses() {
        CliRunner.Outcome help = CliRunner.run("try", "--help");
        assertEquals(0, help.exitCode());
        assertFalse(help.out().contains("--timeout"), help.out());
        assertFalse(help.out().contains("--overwrite"), help.out());
        assertTrue(help.out().contains("--jobs") && help.out().contains("--force"), help.out());
        oneLine(CliRunner.run("try", "--timeout", "5", "--", "/bin/true"), "--duration SECONDS stops the command");
        oneLine(CliRunner.run("try", "--overwrite", "--", "/bin/true"), "try always makes a new results folder");
    }

    @Test
    void theLabelsErrorStatesItsRule() {
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--env", "MALLOC_ARENA_MAX=1", "--label", "-1+2");
        oneLine(o, "must begin with a letter or digit");
    }

    @Test
    void aReportOfWhatIsNotAFolderNamesIt() throws Exception {
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        for (Path p : List.of(dir.resolve("missing"), Path.of("/dev/null"), loop)) {
            CliRunner.Outcome o = CliRunner.run("report", p.toString());
            oneLine(o, p + " is not a results folder (");
            assertFalse(o.err().contains("--out"), "no --out was given: " + o.err());
        }
    }

    @Test
    void aTryFolderWithoutItsSamplesIsNamedAsSuch() throws Exception {
        Path t = dir.resolve("t");
        assertEquals(0, CliRunner.run("try", "--quiet", "--out", t.toString(), "--", "/bin/true").exitCode());
        Files.delete(t.resolve("samples.csv"));
        Files.delete(t.resolve("report").resolve("report.html"));
        CliRunner.Outcome o = CliRunner.run("report", "--out", dir.resolve("r").toString(), t.toString());
        oneLine(o, "is not a try results folder (no samples.csv)");
    }

    @Test
    void anInspectAtAfterTheRunsEndSaysSo() throws Exception {
        Path t = dir.resolve("late");
        CliRunner.Outcome o = CliRunner.run("try", "--quiet", "--inspect-at", "100", "--out", t.toString(), "--",
                "/bin/true");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains(": not inspected: the command ended after "), o.out());
        assertTrue(o.out().contains("before --inspect-at 100 s"), o.out());
        for (CSVRecord r : Csv.read(t.resolve("runs.csv"))) {
            assertTrue(r.get("inspect_json").startsWith("not inspected: the command ended"), r.toString());
        }
    }

    @Test
    void outUnderAFolderThatDoesNotExistIsOneLineForEveryCommand() {
        String missing = dir.resolve("no-such-folder").toString();
        String trace = Path.of("src/test/resources/record/known.trace").toString();
        List<List<String>> commands = List.of(
                List.of("try", "--out", missing + "/t", "--", "/bin/true"),
                List.of("replay", "--out", missing + "/r", trace),
                List.of("matrix", "--scenario", "article-4", "--out", missing + "/m"),
                List.of("sweep", "--scenario", "churn", "--param", "size=64K,1M", "--out", missing + "/s"),
                List.of("hosts", "article-4", "--out", missing + "/h"),
                List.of("run", "article-4", "--out", missing + "/r.csv"),
                List.of("record", "--out", missing + "/x.trace", "--", "/bin/true"),
                List.of("report", "--out", missing + "/rep", dir.toString()));
        for (List<String> c : commands) {
            CliRunner.Outcome o = CliRunner.run(c.toArray(String[]::new));
            assertEquals(2, o.exitCode(), c + ": " + o.err());
            assertEquals(1, o.errLines().length, c + ": " + o.err());
            assertTrue(o.err().contains(missing), c + ": " + o.err());
            assertTrue(o.err().contains("does not exist"), c + ": " + o.err());
        }
    }
}
