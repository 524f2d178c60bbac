package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** matrix --resume completes an interrupted matrix, running the missing runs only. */
class ResumeTest {

    @TempDir
    Path dir;

    static Set<String> ids(List<CSVRecord> rows) {
        return rows.stream().map(r -> r.get("run_id")).collect(Collectors.toSet());
    }

    @Test
    void anInterruptedMatrixIsCompletedOnce() throws Exception {
        Path out = dir.resolve("m");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "matrix", "--scenario", "article-4",
                "--variant", "baseline,trim,mmap-threshold,top-pad,arena-max-1,arena-max-2", "--repeat", "4",
                "--jobs", "1", "--quiet", "--out", out.toString());
        Process rsslab = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (!Files.exists(out.resolve("runs.csv"))
                || Files.readAllLines(out.resolve("runs.csv")).size() < 5)) {
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-KILL", Long.toString(rsslab.pid())).start().waitFor();
        assertTrue(rsslab.waitFor(30, TimeUnit.SECONDS));
        int before = Csv.read(out.resolve("runs.csv")).size();
        assertTrue(before >= 4 && before < 24, "interrupted mid-matrix: " + before + " runs");

        CliRunner.Outcome o = CliRunner.run("matrix", "--resume", out.toString(), "--quiet");
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        Set<String> planned = ids(Csv.read(out.resolve("plan.csv")));
        assertEquals(24, planned.size());
        assertEquals(24, runs.size(), "each planned run once");
        assertEquals(planned, ids(runs));
        List<CSVRecord> rounds = Csv.read(out.resolve("rounds.csv"));
        assertEquals(24 * 5, rounds.size(), "no rounds of the interrupted attempt are left");
        assertEquals(planned, ids(rounds));

        CliRunner.Outcome again = CliRunner.run("matrix", "--resume", out.toString(), "--quiet");
        assertEquals(0, again.exitCode());
        assertTrue(again.out().startsWith("nothing to resume"), again.out());
    }

    @Test
    void onlyAnIntactResultsFolderCanBeResumed() throws Exception {
        CliRunner.Outcome notOne = CliRunner.run("matrix", "--resume", dir.toString());
        assertEquals(ExitCodes.USAGE, notOne.exitCode());
        assertTrue(notOne.err().contains("is not a results folder to resume (no plan.csv)"), notOne.err());

        Path out = dir.resolve("c");
        assertEquals(0, CliRunner.run("matrix", "--scenario", "article-4", "--quiet", "--out", out.toString())
                .exitCode());
        String runs = Files.readString(out.resolve("runs.csv"));
        String[] lines = runs.split("\r\n");
        // A row cut short in the middle of the file is corruption, not an interrupted write.
        Files.writeString(out.resolve("runs.csv"), lines[0] + "\r\ntruncated,row\r\n" + lines[1] + "\r\n");
        CliRunner.Outcome corrupt = CliRunner.run("matrix", "--resume", out.toString());
        assertEquals(ExitCodes.USAGE, corrupt.exitCode());
        assertTrue(corrupt.err().contains("line 2 has 2 cells where 35 are due"), corrupt.err());
        assertEquals(1, corrupt.errLines().length, corrupt.err());
    }
}
