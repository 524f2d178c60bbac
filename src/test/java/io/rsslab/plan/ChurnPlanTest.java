package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** churn's parameters, canonical names, scenario files and sweeps, without a child. */
class ChurnPlanTest {

    @Test
    void everyScenarioFileLoadsSaysWhatItModelsAndRoundTrips() {
        ScenarioCatalog c = ScenarioCatalog.load();
        assertTrue(c.churnFiles().size() >= 5, "the shipped patterns");
        for (ScenarioCatalog.ChurnFile f : c.churnFiles()) {
            assertFalse(f.description().isBlank(), f.name());
            Scenario s = c.find(f.name()).orElseThrow();
            assertEquals(s.name(), Churn.parse(s.name()).name(), "the canonical name parses to itself");
            assertEquals(s.name(), c.find(s.name()).orElseThrow().name(), "plan.csv's name finds the same scenario");
            assertEquals(f.description(), c.find(s.name()).orElseThrow().description(), "and its description");
            assertFalse(c.names().contains(f.name()), "a file never hides an article scenario: " + f.name());
        }
    }

    @Test
    void onlyWhatAppliesIsWritten() {
        Churn a = Churn.of("x", "", "", Map.of(), Map.of("dist", "article", "pages", "100"));
        assertEquals("100", a.value("pages"));
        assertEquals(null, a.value("size"), "size belongs to dist=fixed");
        Churn f = Churn.of("x", "", "", Map.of("dist", "article", "pages", "100"), Map.of("dist", "fixed"));
        assertEquals(null, f.value("pages"), "a file's value that no longer applies is dropped");
        assertThrows(PlanException.class, () -> Churn.of("x", "", "", Map.of(), Map.of("pages", "100")));
        assertEquals("1048576", Churn.of("x", "", "", Map.of(), Map.of("size", "1M")).value("size"));
        assertEquals("0.25", Churn.of("x", "", "", Map.of(), Map.of("touch", "0.250")).value("touch"));
        assertEquals("1", Churn.of("x", "", "", Map.of(), Map.of("touch", "1.0")).value("touch"));
    }

    @Test
    void articleFoursDeclaredPeakCoversWhatItMeasured() {
        Scenario s = ScenarioCatalog.load().find("article-4-churn").orElseThrow();
        // article-4 peaks at 134,464 kB (data/scenarios.csv's source); the rounds are 28..32, 3 blocks.
        assertTrue(s.peakMib() * 1024 >= 134_464, "peak " + s.peakMib());
        assertEquals(28, s.firstRound());
        assertEquals(32, s.lastRound());
        assertEquals(3, s.allocationsPerRound());
    }

    @Test
    void peakGrowsWithThreadsAndBlocks() {
        long one = Churn.of("x", "", "", Map.of(), Map.of("threads", "1")).peakBytes();
        long four = Churn.of("x", "", "", Map.of(), Map.of("threads", "4")).peakBytes();
        assertTrue(four > 3 * (one - (16L << 20)), one + " " + four);
        long bigger = Churn.of("x", "", "", Map.of(), Map.of("size", "4M")).peakBytes();
        assertTrue(bigger > 3 * (one - (16L << 20)), one + " " + bigger);
    }

    @Test
    void sweepsExpandRangesFactorsAndLists() {
        Sweep s = Sweep.parse(List.of("size=1M..4M:1M", "threads=1,2"));
        assertEquals(List.of("1048576", "2097152", "3145728", "4194304"), s.axes().get("size"));
        assertEquals(8, s.size());
        assertEquals(Map.of("size", "1048576", "threads", "2"), s.points().get(1), "the first axis varies slowest");
        assertEquals(List.of("65536", "131072", "262144", "524288", "1048576"),
                Sweep.parse(List.of("size=64K..1M:x2")).axes().get("size"));
        assertEquals(List.of("0", "0.5", "1"), Sweep.parse(List.of("touch=0..1:0.5")).axes().get("touch"));
        assertEquals(List.of("in-order", "shuffled"), Sweep.parse(List.of("free=in-order,shuffled")).axes().get("free"));
        assertEquals(List.of("size"), Sweep.parse(List.of("size=1M,2M", "rounds=3")).varying());
        assertThrows(PlanException.class, () -> Sweep.parse(List.of("free=in-order..shuffled:1")));
        assertThrows(PlanException.class, () -> Sweep.parse(List.of("size=1M,1M")));
    }

    @Test
    void sizesParseAndFormat() {
        assertEquals(4096, Sizes.parse("4096"));
        assertEquals(65536, Sizes.parse("64K"));
        assertEquals(1572864, Sizes.parse("1.5M"));
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("1.3K"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1M"));
        assertEquals("1M", Sizes.format(1048576));
        assertEquals("1536", Sizes.format(1536));
        assertEquals("0", Sizes.format(0));
    }
}
