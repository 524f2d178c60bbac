package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep end to end on small sizes: one child per point and host, the parameters as columns, the table. */
class SweepTest {

    @TempDir
    Path dir;

    @Test
    void onePointPerChildWithTheParametersAsColumns() throws Exception {
        Path out = dir.resolve("s");
        CliRunner.Outcome o = CliRunner.run("sweep", "--param", "size=64K..256K:64K", "--param", "seal_every=0,2",
                "--param", "rounds=2", "--param", "allocs=8", "--host", "native,thread", "--quiet", "--out",
                out.toString());
        assertEquals(0, o.exitCode(), o.err() + o.out());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals(4 * 2 * 2, runs.size(), "4 sizes x 2 seals x 2 hosts");
        assertEquals(Set.of("65536", "131072", "196608", "262144"),
                runs.stream().map(r -> r.get("churn_size")).collect(Collectors.toSet()));
        assertEquals(Set.of("0", "2"), runs.stream().map(r -> r.get("churn_seal_every")).collect(Collectors.toSet()));
        runs.forEach(r -> assertEquals("ok", r.get("status"), r.toString()));
        runs.forEach(r -> assertEquals("", r.get("churn_pages"), "pages does not apply to dist=fixed"));
        List<CSVRecord> rounds = Csv.read(out.resolve("rounds.csv"));
        assertEquals(16 * 2, rounds.size());
        for (CSVRecord r : rounds) {
            long size = Long.parseLong(r.get("churn_size"));
            assertEquals(8 * size / 1024, Long.parseLong(r.get("allocated_kb")), "the round's bytes: allocs x size");
            long sealed = r.get("churn_seal_every").equals("2") ? 4 * size / 1024 : 0;
            assertEquals(sealed, Long.parseLong(r.get("live_after_free_kb")), "half the blocks sealed");
        }
        assertTrue(o.out().contains("size=64K seal_every=0"), o.out());
        assertTrue(o.out().contains("native/baseline") && o.out().contains("thread/baseline"), o.out());
        assertTrue(o.out().lines().filter(l -> l.startsWith("size=")).count() == 8, o.out());
        assertTrue(Files.isRegularFile(out.resolve("report/report.html")), o.err());
        // plan.csv names each point's whole scenario: --resume finds it again.
        assertTrue(Csv.read(out.resolve("plan.csv")).stream().allMatch(r -> r.get("scenario").startsWith(
                "churn:churn:rounds=2,")));
    }

    @Test
    void aScenarioFileWithAParameterOverridden() throws Exception {
        Path out = dir.resolve("f");
        CliRunner.Outcome o = CliRunner.run("run", "slow-leak", "--param", "rounds=2", "--param", "allocs=50",
                "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err() + o.out());
        List<CSVRecord> rounds = Csv.read(out);
        assertEquals(2, rounds.size());
        assertEquals("0.02", rounds.get(0).get("churn_leak"));
        // 2% of 50 blocks of 512 KiB: one leaked block a round.
        assertEquals(512, Long.parseLong(rounds.get(0).get("live_after_free_kb")));
        assertEquals(1024, Long.parseLong(rounds.get(1).get("live_after_free_kb")));
    }

    /** Issue 22, item 5: hundreds of millions of points with --force are counted and refused, never built. */
    @Test
    void aHugeGridIsRefusedEvenWithForceBeforeItIsBuilt() {
        long t0 = System.nanoTime();
        CliRunner.Outcome o = CliRunner.run("sweep", "--force", "--param", "size=1..1000:1", "--param",
                "allocs=1..1000:1", "--param", "seed=1..500:1", "--out", dir.resolve("huge").toString());
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().contains("this sweep is 500000000 runs (points x variants x hosts x repeats), more than "
                + "100000, the most rsslab runs even with --force"), o.err());
        // More than a long holds: four axes of a million values.
        CliRunner.Outcome overflow = CliRunner.run("sweep", "--force", "--param", "size=1..1000000:1", "--param",
                "allocs=1..1000000:1", "--param", "seed=1..1000000:1", "--param", "first_round=0..999999:1",
                "--param", "rounds=1..10000:1", "--out", dir.resolve("huger").toString());
        assertEquals(ExitCodes.USAGE, overflow.exitCode(), overflow.err());
        assertEquals(1, overflow.errLines().length, overflow.err());
        assertTrue(overflow.err().contains("more than 9223372036854775807 runs"), overflow.err());
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "counted, not built");
        assertTrue(!Files.exists(dir.resolve("huge")) && !Files.exists(dir.resolve("huger")));
    }
}
