package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the loops run changes the answer (glibc 2.36, this machine): with
 * malloc_trim(0) a plain process returns to its base, a thread keeps the
 * top of its thread heap, and a JVM keeps memory too unless it has one arena.
 */
class HostsTest {

    static final long MB = 1024;

    @TempDir
    Path dir;

    /** host -> retained_kb per round. */
    Map<String, List<Long>> hosts(String... extra) throws Exception {
        Path out = dir.resolve("h" + extra.length);
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"hosts", "article-4", "--quiet", "--out", out.toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        CliRunner.Outcome o = CliRunner.run(args);
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("native") && o.out().contains("thread") && o.out().contains("jvm"), o.out());
        List<CSVRecord> rounds = Csv.read(out.resolve("rounds.csv"));
        assumeTrue(Csv.read(out.resolve("runs.csv")).get(0).get("glibc").equals("2.36"),
                () -> "asserted on glibc 2.36 only; measured: " + o.out());
        return rounds.stream().collect(Collectors.groupingBy(r -> r.get("host"),
                Collectors.mapping(r -> Long.parseLong(r.get("retained_kb")), Collectors.toList())));
    }

    @Test
    void trimWorksOnTheMainThreadOnly() throws Exception {
        Map<String, List<Long>> kept = hosts("--trim");
        assertTrue(kept.get("native").stream().allMatch(k -> Math.abs(k) <= 4 * MB), "native: " + kept);
        List<Long> thread = kept.get("thread");
        assertTrue(thread.get(thread.size() - 1) >= 50 * MB, "a thread heap's top stays: " + kept);
        assertTrue(kept.get("jvm").stream().anyMatch(k -> k >= 25 * MB), "the JVM keeps memory too: " + kept);
    }

    @Test
    void oneArenaLetsTrimWorkInTheJvm() throws Exception {
        Map<String, List<Long>> kept = hosts("--trim", "--env", "MALLOC_ARENA_MAX=1");
        assertTrue(kept.get("jvm").stream().allMatch(k -> Math.abs(k) <= 4 * MB), "jvm: " + kept);
    }
}
