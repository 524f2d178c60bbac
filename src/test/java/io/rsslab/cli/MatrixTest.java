package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.plan.VariantCatalog;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.RunsCsv;

/** matrix end to end: article-4, several variants, both hosts, real children. */
class MatrixTest {

    @TempDir
    Path dir;

    @Test
    void everyCombinationInItsOwnChild() throws Exception {
        Path out = dir.resolve("m");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4",
                "--variant", "baseline,trim,article-pair,mmap-threshold", "--host", "native", "--host", "jvm",
                "--env", "MALLOC_ARENA_MAX=1", "--trim", "--label", "arena1-trim", "--jobs", "2", "--quiet",
                "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err() + o.out());
        assertTrue(o.out().contains("results: " + out), o.out());

        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals(10, runs.size(), "5 variants x 2 hosts");
        assertEquals(10, runs.stream().map(r -> r.get("run_id")).distinct().count());
        Set<String> combos = runs.stream().map(r -> r.get("variant") + "/" + r.get("host")).collect(Collectors.toSet());
        assertEquals(10, combos.size(), combos.toString());
        for (CSVRecord r : runs) {
            assertEquals("ok", r.get("status"), r.toString());
            assertEquals("5", r.get("rounds"));
            assertTrue(r.get("sys_s").matches("\\d+\\.\\d{3}"), "the kernel's accounting of the child: " + r);
            assertTrue(Long.parseLong(r.get("max_rss_kb")) > 89000, "the child's peak covers a round: " + r);
        }
        CSVRecord baseline = runs.stream().filter(r -> r.get("variant").equals("baseline")
                && r.get("host").equals("native")).findFirst().orElseThrow();
        CSVRecord pair = runs.stream().filter(r -> r.get("variant").equals("article-pair")
                && r.get("host").equals("native")).findFirst().orElseThrow();
        assertTrue(pair.get("malloc_settings").contains("MALLOC_TRIM_THRESHOLD_=131072 applied"), pair.toString());
        assertEquals("", baseline.get("malloc_settings"));
        for (CSVRecord r : runs) {
            assertFalse(r.get("verdict").isEmpty(), r.toString());
            assertEquals("glibc", r.get("allocator"));
            assertEquals(r.get("variant").equals("baseline"), r.get("cpu_vs_baseline").isEmpty(), r.toString());
            assertTrue(Files.readString(out.resolve(r.get("run_id") + ".malloc-info.xml"))
                    .startsWith("<malloc version="), "malloc_info() XML beside the results");
        }
        assertTrue(baseline.get("verdict").startsWith("freed memory kept at the top of the heap"), baseline.toString());
        // A text cell that begins with + or - is written with a leading ' (no spreadsheet formula: CsvCell).
        assertTrue(pair.get("cpu_vs_baseline").matches(
                "(('[+-]\\d+% system time)|system time too small to compare), "
                + "([+-]\\d+% user time|user time too small to compare)"), pair.toString());
        assertEquals(RunsCsv.SCHEMA.headers(), runs.get(0).getParser().getHeaderNames());

        List<CSVRecord> rounds = Csv.read(out.resolve("rounds.csv"));
        assertEquals(50, rounds.size());
        assertEquals(RoundsCsv.SCHEMA.headers().size(), rounds.get(0).size());
        assertTrue(rounds.stream().allMatch(r -> r.get("repeat").equals("1")));
        assertTrue(rounds.stream().anyMatch(r -> r.get("variant").equals("arena1-trim")
                && r.get("env").equals("MALLOC_ARENA_MAX=1") && r.get("trim").equals("true")));

        String env = Files.readString(out.resolve("environment.csv"));
        assertTrue(env.contains("machine,glibc,"), env);
        assertTrue(env.contains("variant article-pair,glibc.malloc.mmap_threshold,0x20000"), env);
        assertTrue(env.contains("variant arena1-trim,glibc.malloc.arena_max,0x1"), env);
    }

    @Test
    void preloadedAllocatorsRunOnBothHosts() throws Exception {
        VariantCatalog catalog = VariantCatalog.load();
        for (String v : List.of("jemalloc", "tcmalloc", "mimalloc")) {
            String why = catalog.unavailableReason(catalog.find(v).orElseThrow());
            assumeTrue(why == null, () -> v + ": " + why);
        }
        Path out = dir.resolve("alloc");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant",
                "baseline,jemalloc,tcmalloc,mimalloc", "--host", "native,jvm", "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals(8, runs.size());
        for (CSVRecord r : runs) {
            assertEquals("ok", r.get("status"), r.toString());
            assertEquals(r.get("variant").equals("baseline"), r.get("preload").isEmpty(), r.toString());
        }
        // Had LD_PRELOAD not reached the child, jemalloc would keep exactly what glibc keeps.
        assertNotEquals(steady(runs, "baseline"), steady(runs, "jemalloc"));
    }

    private static String steady(List<CSVRecord> runs, String variant) {
        return runs.stream().filter(r -> r.get("variant").equals(variant) && r.get("host").equals("native"))
                .findFirst().orElseThrow().get("steady_retained_kb");
    }

    @Test
    void repeatsAndRefusesAnExistingFolder() throws Exception {
        Path out = dir.resolve("r");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--repeat", "2", "--quiet",
                "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(List.of("1", "2"), Csv.read(out.resolve("runs.csv")).stream().map(r -> r.get("repeat")).sorted()
                .toList());
        String before = Files.readString(out.resolve("runs.csv"));
        CliRunner.Outcome again = CliRunner.run("matrix", "--scenario", "article-4", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, again.exitCode());
        assertTrue(again.err().contains("already exists"), again.err());
        assertEquals(before, Files.readString(out.resolve("runs.csv")), "the finished results are untouched");
        CliRunner.Outcome replaced = CliRunner.run("matrix", "--scenario", "article-4", "--quiet", "--overwrite",
                "--out", out.toString());
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(1, Csv.read(out.resolve("runs.csv")).size(), "--overwrite replaced the results folder");
    }

    @Test
    void overwriteKeepsTheOldFolderUntilTheNewOneSucceeds() throws Exception {
        Path out = dir.resolve("o");
        assertEquals(0, CliRunner.run("matrix", "--scenario", "article-4", "--quiet", "--out", out.toString())
                .exitCode());
        String before = Files.readString(out.resolve("runs.csv"));
        CliRunner.Outcome failed = CliRunner.run("matrix", "--scenario", "article-4", "--host", "jvm",
                "--env", "JAVA_TOOL_OPTIONS=-XX:+NoSuchRsslabFlag", "--quiet", "--overwrite", "--out", out.toString());
        assertEquals(ExitCodes.RUN_FAILED, failed.exitCode(), failed.err());
        assertEquals(before, Files.readString(out.resolve("runs.csv")), "the old results stay while a new run fails");
        Matcher m = Pattern.compile("the new results are in (\\S+)").matcher(failed.err());
        assertTrue(m.find(), failed.err());
        assertEquals("failed", Csv.read(Path.of(m.group(1)).resolve("runs.csv")).get(0).get("status"));
    }

    @Test
    void progressLinesWhenNotATerminal() {
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant", "trim",
                "--out", dir.resolve("p").toString());
        assertEquals(0, o.exitCode(), o.err());
        // Progress goes to the process's stderr, not the command's: it must not pollute stdout.
        assertFalse(o.out().contains("[1/1]"), o.out());
    }

    @Test
    void unavailableOrUnknownVariantsAreRefusedBeforeAnythingRuns() {
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant", "nope",
                "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().startsWith("rsslab: unknown variant 'nope'"), o.err());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
