package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.rsslab.plan.Host;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.run.Round;

/** The article's example 4 program, run for real in fresh children. */
class ArticleFourTest {

    /** The glibc on which the article's effect is known to appear here (Debian 12). */
    static final String KNOWN_GLIBC = "2.36";
    static final long MB = 1000;

    @ParameterizedTest
    @EnumSource(Host.class)
    void allocationSumsEqualTheArticles(Host host) throws IOException {
        ChildRuns.Measured m = ChildRuns.run("article-4", host, List.of(), false);
        List<ReferenceRow> ref = ReferenceFigures.load().run("article-4", "baseline");
        assertEquals(ref.stream().map(ReferenceRow::round).toList(), m.rounds().stream().map(Round::round).toList());
        assertEquals(ref.stream().map(ReferenceRow::allocatedKb).toList(),
                m.rounds().stream().map(Round::allocatedKb).toList(), m.describe());
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void everyPageIsTouched(Host host) throws IOException {
        // Proof that the compiler kept the touch loop: every allocated page is resident. A JVM's own
        // RSS moves by some kB between readings; a dropped touch loop would lose the whole ~90 MB.
        ChildRuns.Measured m = ChildRuns.run("article-4", host, List.of(), true);
        for (Round r : m.rounds()) {
            assertTrue(r.rssAfterAllocKb() >= m.start().rssBeforeKb() + r.allocatedKb() * 99 / 100, m.describe());
        }
    }

    @Test
    void baselineKeepsMemoryFromRound29() throws IOException {
        ChildRuns.Measured m = ChildRuns.run("article-4", Host.NATIVE, List.of(), false);
        assumeEffectKnown(m);
        for (Round r : m.rounds()) {
            if (r.round() >= 29) {
                assertTrue(m.retainedKb(r) >= 25 * MB, "round " + r.round() + ": " + m.describe());
            }
        }
    }

    @Test
    void trimReturnsToBase() throws IOException {
        ChildRuns.Measured m = ChildRuns.run("article-4", Host.NATIVE, List.of(), true);
        assumeEffectKnown(m);
        m.rounds().forEach(r -> assertTrue(Math.abs(m.retainedKb(r)) <= 2 * 1024, m.describe()));
    }

    @Test
    void articlePairReturnsToBase() throws IOException {
        ChildRuns.Measured m = ChildRuns.run("article-4", Host.NATIVE, ChildRuns.ARTICLE_PAIR, false);
        assumeEffectKnown(m);
        m.rounds().forEach(r -> assertTrue(Math.abs(m.retainedKb(r)) <= 2 * 1024, m.describe()));
    }

    /** Elsewhere the figures are reported (in the skip reason), not judged. */
    static void assumeEffectKnown(ChildRuns.Measured m) {
        assumeTrue(KNOWN_GLIBC.equals(m.start().glibcVersion()),
                () -> "the article's effect is asserted on glibc " + KNOWN_GLIBC + " only; measured: " + m.describe());
    }
}
