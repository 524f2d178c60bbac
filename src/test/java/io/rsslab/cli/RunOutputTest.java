package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        assertTrue(text.startsWith(String.join(",", RoundsCsv.COLUMNS) + "\r\n"), text);
        try (Reader r = Files.newBufferedReader(out);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            assertEquals(RoundsCsv.COLUMNS, p.getHeaderNames());
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
        CliRunner.Outcome ok = CliRunner.run("run", "article-4", "--out", out.toString(), "--overwrite");
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(Files.readString(out).startsWith("run_id,"), "replaced by the new rounds");
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
