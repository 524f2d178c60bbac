package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.data.CsvRow;
import io.rsslab.results.RoundsColumn;
import io.rsslab.results.RoundsCsv;

/** run's CSV and table, end to end through a real child. */
class RunOutputTest {

    @TempDir
    Path dir;

    @Test
    void jvmHostCsvFile() throws Exception {
        Path out = dir.resolve("rounds.csv");
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", "jvm", "--format", "csv",
                "--out", out.toString(), "--env", "MALLOC_ARENA_MAX=2");
        assertEquals(0, o.exitCode(), o.err());
        assertEquals("", o.out());
        String text = Files.readString(out, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith(String.join(",", RoundsCsv.SCHEMA.headers()) + "\r\n"), text);
        try (Reader r = Files.newBufferedReader(out);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            assertEquals(RoundsCsv.SCHEMA.headers(), p.getHeaderNames());
            List<CSVRecord> rows = p.getRecords();
            assertEquals(5, rows.size());
            for (CSVRecord row : rows) {
                assertEquals(rows.get(0).get("run_id"), row.get("run_id"));
                assertEquals("jvm", row.get("host"));
                assertEquals("custom", row.get("variant"));
                assertEquals("MALLOC_ARENA_MAX=2", row.get("env"));
                assertEquals("false", row.get("trim"));
                assertEquals(Long.parseLong(row.get("rss_after_free_kb")) - Long.parseLong(row.get("rss_before_kb")),
                        Long.parseLong(row.get("retained_kb")));
            }
            assertEquals("28", rows.get(0).get("round"));
            assertEquals("89000", rows.get(0).get("allocated_kb"));
        }
    }

    @Test
    void overwriteReplacesTheFileOnlyWhenTheRunSucceeds() throws Exception {
        Path out = Files.writeString(dir.resolve("old.csv"), "old\n");
        CliRunner.Outcome failed = CliRunner.run("run", "article-4", "--host", "jvm", "--out", out.toString(),
                "--overwrite", "--env", "JAVA_TOOL_OPTIONS=-XX:+NoSuchRsslabFlag");
        assertEquals(ExitCodes.RUN_FAILED, failed.exitCode());
        assertEquals("old\n", Files.readString(out), "a failed run leaves the old file");
        // One account of where things are: the old file kept, the failed run's rows elsewhere, named.
        assertTrue(failed.err().contains(out + " was kept"), failed.err());
        assertFalse(failed.err().contains("the rounds finished before it are in " + out), failed.err());
        Matcher m = Pattern.compile("the rounds finished before the failure are in (\\S+)").matcher(failed.err());
        assertTrue(m.find(), failed.err());
        assertTrue(Files.readString(Path.of(m.group(1))).startsWith("run_id,"), "the named file holds them");
        CliRunner.Outcome ok = CliRunner.run("run", "article-4", "--out", out.toString(), "--overwrite");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(Files.readString(out).startsWith("run_id,"), "replaced by the new rounds");
    }

    @Test
    void jcmdsOutcomeIsInItsColumnsAndStdoutStaysCsv() throws Exception {
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", "jvm", "--variant", "jvm-jcmd-trim",
                "--format", "csv");
        assertEquals(0, o.exitCode(), o.err());
        List<CsvRow<RoundsColumn>> rows = new ArrayList<>();
        try (CSVParser p = RoundsCsv.SCHEMA.format().builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(o.out()))) {
            assertEquals(RoundsCsv.SCHEMA.headers(), p.getHeaderNames());
            for (CSVRecord r : p.getRecords()) {
                assertTrue(r.isConsistent(), "every line is a row of the schema: " + r);
                rows.add(RoundsCsv.SCHEMA.row(r));
            }
        }
        assertEquals(5, rows.size(), "five rounds and nothing else on stdout:\n" + o.out());
        CsvRow<RoundsColumn> last = rows.get(4);
        assertTrue(last.get(RoundsColumn.JCMD_OUTPUT).contains("Trim native heap"), last.toString());
        assertTrue(last.getLong(RoundsColumn.RSS_AFTER_JCMD_KB) > last.getLong(RoundsColumn.RSS_BEFORE_KB) / 2,
                last.toString());
        assertTrue(rows.subList(0, 4).stream().allMatch(r -> r.isEmpty(RoundsColumn.JCMD_OUTPUT)));
    }

    @Test
    void jcmdsOutcomeIsALineOfTheTable() {
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", "jvm", "--variant", "jvm-jcmd-trim",
                "--jcmd-round", "30", "--format", "table");
        assertEquals(0, o.exitCode(), o.err());
        List<String> lines = o.out().lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("  jcmd System.trim_native_heap after round 30: "))
                .findFirst().orElseThrow(() -> new AssertionError(o.out())));
        assertTrue(lines.get(at - 1).trim().startsWith("30 "), "right below round 30:\n" + o.out());
    }

    @Test
    void seedWithJcmdIsRefusedBeforeTheFileIsCreated() {
        Path out = dir.resolve("seed.txt");
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", "jvm", "--variant", "jvm-jcmd-trim",
                "--format", "seed", "--out", out.toString());
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertTrue(o.err().contains("cannot pause for jcmd"), o.err());
        assertFalse(Files.exists(out), "nothing was created");
    }

    @Test
    void tableOnStdout() {
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--format", "table");
        assertEquals(0, o.exitCode(), o.err());
        String[] lines = o.out().split("\n");
        assertTrue(lines[0].startsWith("article-4 on native, variant baseline, glibc "), o.out());
        assertTrue(lines[2].trim().startsWith("round"), o.out());
        assertEquals(3 + 5 + 3, lines.length, o.out());
        assertTrue(lines[2].trim().endsWith("mmap  threshold_KiB"), o.out());
        assertTrue(lines[3].trim().startsWith("28 ") && lines[3].contains(" 89000 "), o.out());
        assertTrue(lines[3].trim().endsWith(" 3            128"), "round 28: 3 mmapped at 128 KiB\n" + o.out());
        assertTrue(lines[8].startsWith("kept after the frees: "), o.out());
        assertTrue(lines[10].startsWith("verdict: "), o.out());
    }
}
