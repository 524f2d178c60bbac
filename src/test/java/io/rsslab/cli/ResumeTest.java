package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.rsslab.results.RunsColumn;

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
        assertTrue(corrupt.err().contains("line 2 has 2 cells where " + RunsColumn.values().length
                + " are due"), corrupt.err());
        assertEquals(1, corrupt.errLines().length, corrupt.err());
    }

    /** A finished matrix of two runs, made once; each case changes a copy of it. */
    @TempDir
    static Path shared;
    static Path finished;

    @BeforeAll
    static void finishedMatrix() {
        finished = shared.resolve("finished");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant", "baseline,trim-threshold",
                "--quiet", "--out", finished.toString());
        assertEquals(0, o.exitCode(), o.err());
    }

    /** A copy of the finished folder, one of its files rewritten by edit, its last run's row dropped. */
    Path copyWith(String file, UnaryOperator<List<List<String>>> edit) throws Exception {
        Path copy = dir.resolve("copy");
        Files.createDirectory(copy);
        try (var files = Files.list(finished)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        rewrite(copy.resolve("runs.csv"), rows -> rows.subList(0, rows.size() - 1));
        rewrite(copy.resolve(file), edit);
        return copy;
    }

    static void rewrite(Path csv, UnaryOperator<List<List<String>>> edit) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (var r = Files.newBufferedReader(csv); var p = CSVFormat.RFC4180.parse(r)) {
            p.forEach(rec -> rows.add(new ArrayList<>(rec.toList())));
        }
        List<List<String>> edited = edit.apply(rows);
        try (var w = Files.newBufferedWriter(csv); var p = new CSVPrinter(w, CSVFormat.RFC4180)) {
            for (List<String> row : edited) {
                p.printRecord(row);
            }
        }
    }

    /** Sets column (by header name) of data row i (0 = the first after the header). */
    static UnaryOperator<List<List<String>>> set(int i, String column, String value) {
        return rows -> {
            rows.get(i + 1).set(rows.get(0).indexOf(column), value);
            return rows;
        };
    }

    static Stream<Arguments> untrustedPlans() {
        return Stream.of(
                Arguments.of("plan.csv", set(0, "variant", "nope"), "unknown variant 'nope'"),
                Arguments.of("plan.csv", set(1, "env", "MALLOC_TRIM_THRESHOLD_=1"),
                        "variant trim-threshold is not what rsslab plans under that name now (env differs)"),
                Arguments.of("plan.csv", set(1, "jvm_args", "-XX:+PrintGC"), "(jvm_args differs)"),
                Arguments.of("plan.csv", (UnaryOperator<List<List<String>>>) rows -> {
                    rows.get(1).set(rows.get(0).indexOf("variant"), "custom");
                    rows.get(1).set(rows.get(0).indexOf("preload"), "/bin/ls");
                    return rows;
                }, "cannot be preloaded: it is a position-independent executable"),
                Arguments.of("plan.csv", (UnaryOperator<List<List<String>>>) rows -> {
                    rows.get(2).set(0, rows.get(1).get(0));
                    return rows;
                }, "is planned twice"),
                Arguments.of("plan.csv", set(1, "run_id", "../../escape"), "run id '../../escape' is not one rsslab makes"),
                Arguments.of("plan.csv", set(0, "host", "solaris"), "unknown host 'solaris'"),
                Arguments.of("plan.csv", set(0, "repeat", "0"), "repeat 0 is out of range"),
                Arguments.of("plan.csv", (UnaryOperator<List<List<String>>>) rows -> rows.subList(0, 1),
                        "plans no run"),
                Arguments.of("runs.csv", set(0, "run_id", "20261126T000000Z-article-4-native-1-1"),
                        "which plan.csv does not plan"),
                Arguments.of("rounds.csv", set(0, "run_id", "20261126T000000Z-article-4-native-1-1"),
                        "which plan.csv does not plan"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("untrustedPlans")
    void aPlanIsTakenAsStrictlyAsTheCommandLine(String file, UnaryOperator<List<List<String>>> edit,
            String expected) throws Exception {
        Path copy = copyWith(file, edit);
        String before = Files.readString(copy.resolve("runs.csv"));
        CliRunner.Outcome o = CliRunner.run("matrix", "--resume", copy.toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertEquals(before, Files.readString(copy.resolve("runs.csv")), "nothing ran, nothing changed");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--repeat=2", "--jcmd-round=31", "--java=/usr/bin/java", "--jvm-arg=-Xmx1g", "--out=x",
        "--overwrite", "--label=x", "--host=jvm"})
    void optionsThatWouldChangeThePlanAreRefused(String option) throws Exception {
        CliRunner.Outcome o = CliRunner.run("matrix", "--resume", finished.toString(), option);
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertTrue(o.err().contains("would change it"), o.err());
    }

    @Test
    void garbageInAResultsFileIsBadInputNotABug() throws Exception {
        Path copy = copyWith("plan.csv", rows -> rows);
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(copy.resolve("rounds.csv"), garbage, StandardOpenOption.APPEND);
        CliRunner.Outcome o = CliRunner.run("matrix", "--resume", copy.toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains("rounds.csv"), o.err());

        byte[] plan = Files.readAllBytes(copy.resolve("plan.csv"));
        plan[plan.length - 10] = (byte) 0xff;
        Files.write(copy.resolve("plan.csv"), plan);
        CliRunner.Outcome p = CliRunner.run("matrix", "--resume", copy.toString(), "--quiet");
        assertEquals(ExitCodes.USAGE, p.exitCode(), p.err());
        assertTrue(p.err().contains("plan.csv is not valid CSV: it holds bytes that are not UTF-8 text"), p.err());
    }
}
