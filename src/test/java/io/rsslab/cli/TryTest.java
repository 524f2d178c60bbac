package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsslab try on programs that keep memory after freeing (src/test/resources/try):
 * a C program and a python3 script keep at least 50 MB more under baseline than
 * under trim-threshold or mmap-threshold; a program that forks is summed over
 * its tree; --duration stops one that never ends; bad input is one line.
 */
class TryTest {

    @TempDir
    static Path dir;
    static Path keeper;

    @BeforeAll
    static void buildKeeper() throws Exception {
        keeper = dir.resolve("keeper");
        Process p = new ProcessBuilder("gcc", "-Wall", "-O2", "-o", keeper.toString(),
                Path.of("src/test/resources/try/keeper.c").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
    }

    /** final_rss_kb by variant (first run of each). */
    static Map<String, Long> finals(Path out) throws Exception {
        return Csv.read(out.resolve("runs.csv")).stream().collect(Collectors.toMap(r -> r.get("variant"),
                r -> Long.parseLong(r.get("final_rss_kb")), (a, b) -> a));
    }

    /** Every fix named must have its row and keep 50 MB less than baseline. */
    static void assertKeepsUnderBaselineOnly(Path out, String... fixes) throws Exception {
        Map<String, Long> f = finals(out);
        // Every fix variant must have its row: a missing one is a failure, not a pass.
        assertTrue(f.containsKey("baseline"), "baseline's row: " + f);
        for (String fix : fixes) {
            assertTrue(f.containsKey(fix), fix + "'s row: " + f);
            assertTrue(f.get("baseline") - f.get(fix) >= 50 * 1024, "baseline keeps 50 MB more than " + fix
                    + ": " + f);
        }
    }

    @Test
    void aCProgramKeepsMemoryUnderBaselineOnly() throws Exception {
        Path out = dir.resolve("c");
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "baseline,trim-threshold,mmap-threshold", "--quiet",
                "--out", out.toString(), "--", keeper.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertKeepsUnderBaselineOnly(out, "trim-threshold", "mmap-threshold");
        assertTrue(o.out().startsWith("variant "), o.out());
        assertTrue(o.out().contains("report: "), o.out());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        for (CSVRecord r : runs) {
            assertEquals("ok", r.get("status"), r.toString());
            assertTrue(Integer.parseInt(r.get("samples")) >= 15, "sampled every 100 ms for 2 s: " + r);
            assertTrue(Long.parseLong(r.get("max_rss_kb")) > 60 * 1024, "wait4's peak of the process: " + r);
            assertTrue(Long.parseLong(r.get("minflt")) > 15_000, "its faults, from wait4: " + r);
            assertTrue(r.get("sampler_cpu_pct").matches("\\d+\\.\\d\\d"), r.toString());
        }
        assertTrue(Csv.read(out.resolve("samples.csv")).size() >= 45);
        assertTrue(Files.exists(out.resolve("report/report.html")));
    }

    @Test
    void aPythonProgramToo() throws Exception {
        Path out = dir.resolve("py");
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "baseline,trim-threshold", "--quiet", "--out",
                out.toString(), "--", "python3", Path.of("src/test/resources/try/keeper.py").toAbsolutePath().toString());
        assertEquals(0, o.exitCode(), o.err());
        assertKeepsUnderBaselineOnly(out, "trim-threshold");
    }

    @Test
    void aProgramThatForksIsSummedOverItsTree() throws Exception {
        Path out = dir.resolve("fork");
        CliRunner.Outcome o = CliRunner.run("try", "--quiet", "--out", out.toString(), "--", keeper.toString(), "fork",
                "2");
        assertEquals(0, o.exitCode(), o.err());
        int processes = Csv.read(out.resolve("samples.csv")).stream().mapToInt(r -> Integer.parseInt(r.get("processes")))
                .max().orElse(0);
        assertEquals(3, processes, "the program and its two children");
        assertTrue(finals(out).get("baseline") > 3 * 55 * 1024, "three times the 60 MiB kept: " + finals(out));
    }

    @Test
    void durationStopsAProgramThatNeverEnds() throws Exception {
        Path out = dir.resolve("forever");
        long t0 = System.nanoTime();
        CliRunner.Outcome o = CliRunner.run("try", "--duration", "2", "--quiet", "--out", out.toString(), "--",
                "sleep", "1000");
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "stopped, not waited for");
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals("stopped", r.get("status"), r.toString());
        assertTrue(r.get("stopped").startsWith("stopped by rsslab after 2 s (--duration): SIGTERM"), r.toString());
        assertEquals("15", r.get("signal"), "the command ended on SIGTERM");
    }

    @Test
    void aCommandThatFailsUnderEveryVariantIsSaidOnce() {
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "baseline,trim-threshold", "--quiet", "--out",
                dir.resolve("false").toString(), "--", "sh", "-c", "echo cannot start >&2; exit 3");
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains("failed under every variant: the command exit status 3; its output ended: "
                + "cannot start"), o.err());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        Path text = Files.writeString(dir.resolve("not-a-program"), "text\n");
        Files.setPosixFilePermissions(text, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        List<List<String>> cases = List.of(List.of("try"), List.of("try", "--", "no-such-command-rsslab"),
                List.of("try", "--", text.toString()), List.of("try", "--interval", "5", "--", "true"),
                List.of("try", "--duration", "0", "--", "true"), List.of("try", "--variant", "trim", "--", "true"),
                List.of("try", "--variant", "jvm-trim-interval", "--", "true"), List.of("try", "--peak", "lots", "--",
                        "true"), List.of("try", "--variant", "nope", "--", "true"));
        List<String> expected = List.of("give the command to try after --", "not found on PATH",
                "is not an executable file", "--interval 5 is out of range", "--duration 0 is out of range",
                "applies to scenarios", "applies to a java command only", "--peak lots is not a size",
                "unknown variant 'nope'");
        for (int i = 0; i < cases.size(); i++) {
            List<String> args = new java.util.ArrayList<>(cases.get(i));
            args.add(1, "--out=" + dir.resolve("bad-" + i));
            CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, o.exitCode(), cases.get(i) + ": " + o.err());
            assertTrue(!Files.exists(dir.resolve("bad-" + i)), "refused before anything was made");
            assertEquals(1, o.errLines().length, o.err());
            assertTrue(o.err().contains(expected.get(i)), cases.get(i) + ": " + o.err());
        }
    }

    @Test
    void inspectAtKeepsTheLedgerBesideTheRun() throws Exception {
        Path out = dir.resolve("inspected");
        CliRunner.Outcome o = CliRunner.run("try", "--inspect-at", "1", "--quiet", "--out", out.toString(), "--",
                keeper.toString());
        assertEquals(0, o.exitCode(), o.err());
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        String json = Files.readString(out.resolve(r.get("inspect_json")));
        assertTrue(json.contains("\"trim_releasable_kb\"") && json.contains("\"allocator\": \"glibc\""), json);
    }

    @Test
    void ctrlCStopsEveryRunsTreeAndLeavesValidCsv() throws Exception {
        Path out = dir.resolve("interrupted");
        Process rsslab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "try", "--quiet", "--jobs", "2",
                "--repeat", "2", "--out", out.toString(), "--", keeper.toString(), "fork", "2")
                .redirectErrorStream(true).redirectOutput(dir.resolve("interrupted.log").toFile()).start();
        for (int i = 0; i < 200 && (!Files.exists(out.resolve("samples.csv"))
                || Files.readAllLines(out.resolve("samples.csv")).size() < 4); i++) {
            Thread.sleep(25);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(rsslab.pid())).start().waitFor();
        assertTrue(rsslab.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "rsslab ended on Ctrl-C");
        Thread.sleep(500);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("")
                .contains(keeper.toString())), "no process of the command is left");
        Csv.read(out.resolve("samples.csv"));
        Csv.read(out.resolve("runs.csv"));
    }
}
