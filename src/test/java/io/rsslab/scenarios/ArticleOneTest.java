package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.Host;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.run.Round;

/**
 * The article's example 1 program in full: about 4 GB touched per round,
 * 30-50 s per run. The two runs are sequential (surefire runs one test at
 * a time here): never two article-1 children at once.
 */
class ArticleOneTest {

    static final long THREE_GB_KB = 3L * 1024 * 1024;

    @Test
    void nativeBaselineMatchesTheArticle() throws IOException {
        ChildRuns.Measured m = ChildRuns.run("article-1", Host.NATIVE, List.of(), false);
        assertSumsEqualTheArticles(m);
        ArticleFourTest.assumeEffectKnown(m);
        // From some round on, at least 3 GB stays resident after the frees (the article: from round 6).
        List<Round> rounds = m.rounds();
        int from = rounds.size();
        while (from > 0 && m.retainedKb(rounds.get(from - 1)) >= THREE_GB_KB) {
            from--;
        }
        assertTrue(from < rounds.size() - 1, "no 3 GB retention at the end: " + m.describe());
        assertTrue(m.retainedKb(rounds.get(0)) < THREE_GB_KB, "round 0 already retains: " + m.describe());
    }

    @Test
    void jvmHostAllocatesTheArticlesSums() throws IOException {
        assertSumsEqualTheArticles(ChildRuns.run("article-1", Host.JVM, List.of(), false));
    }

    private static void assertSumsEqualTheArticles(ChildRuns.Measured m) {
        List<ReferenceRow> ref = ReferenceFigures.load().run("article-1", "baseline");
        assertEquals(ref.stream().map(ReferenceRow::round).toList(), m.rounds().stream().map(Round::round).toList());
        assertEquals(ref.stream().map(ReferenceRow::allocatedKb).toList(),
                m.rounds().stream().map(Round::allocatedKb).toList(), m.describe());
    }
}
