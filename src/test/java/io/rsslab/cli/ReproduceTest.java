package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reproduce, restricted to article-4 (the full one runs in bench/reproduce-speedup.sh). */
class ReproduceTest {

    @Test
    void articleFourIsReproducedHere(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("repro");
        CliRunner.Outcome o = CliRunner.run("reproduce", "--scenario", "article-4", "--quiet", "--out", out.toString());
        List<String> verdicts = o.out().lines().filter(l -> l.startsWith("example 4 (")).toList();
        assertEquals(3, verdicts.size(), o.out());
        for (String v : verdicts) {
            assertTrue(v.contains(": reproduced: "), v);
        }
        assertTrue(verdicts.get(0).contains("memory kept after the frees from round 29 on"), verdicts.get(0));
        assertEquals(0, o.exitCode(), o.err());

        List<CSVRecord> rows = Csv.read(out.resolve("comparison.csv"));
        assertEquals(15, rows.size());
        for (CSVRecord r : rows) {
            assertEquals(r.get("article_allocated_kb"), r.get("allocated_kb"), r.toString());
        }
        assertEquals(3, Csv.read(out.resolve("runs.csv")).size());
    }
}
