package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.fork.ChildOptions;
import io.rsslab.plan.Host;
import io.rsslab.plan.Variant;
import io.rsslab.run.Round;

/**
 * The parametric scenario in real children: each distribution, free order,
 * shape and seal on small parameters, the bytes of every round predicted from
 * glibc's random_r (GlibcRandom) and compared exactly, the live bytes after
 * the frees from the seal and leak rules; and the article's example 4 as a
 * churn scenario file, round for round against article-4.
 */
class ChurnTest {

    private static final long PAGE = 4096;

    private static ChildRuns.Measured run(String params, Host host) throws IOException {
        return ChildRuns.run("churn:t:" + params, host, Variant.of(List.of(), false), ChildOptions.DEFAULT);
    }

    private static List<Long> bytes(ChildRuns.Measured m) {
        return m.rounds().stream().map(Round::allocatedKb).toList();
    }

    /** Each round's kB as the parent records it (bytes / 1024, as the record's bytes= is divided). */
    private static List<Long> kb(List<Long> bytes) {
        return bytes.stream().map(b -> b / 1024).toList();
    }

    @Test
    void fixedSizesSumExactlyOnEveryThread() throws IOException {
        ChildRuns.Measured m = run("rounds=3,allocs=7,threads=3,dist=fixed,size=100000", Host.NATIVE);
        assertEquals(kb(List.of(2_100_000L, 2_100_000L, 2_100_000L)), bytes(m), m.describe());
        m.rounds().forEach(r -> assertEquals(0L, r.liveAfterFreeKb(), "a saw frees everything"));
    }

    @Test
    void articleDistributionIsTheArticlesRandomSequence() throws IOException {
        ChildRuns.Measured m = run("rounds=4,allocs=10,dist=article,pages=64,free=in-order,seed=5", Host.NATIVE);
        GlibcRandom g = new GlibcRandom(5);
        List<Long> expected = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            long sum = 0;
            for (int i = 0; i < 10; i++) {
                sum += (g.next() % 64) * PAGE;
            }
            expected.add(sum);
        }
        assertEquals(kb(expected), bytes(m), m.describe());
    }

    @Test
    void shuffledFreesDrawFromTheSameSequenceReverseDoesNot() throws IOException {
        // Fisher-Yates over the n freed blocks draws n - 1 numbers after the round's sizes.
        int allocs = 9;
        GlibcRandom g = new GlibcRandom(0);
        List<Long> shuffled = new ArrayList<>();
        List<Long> inOrder = new ArrayList<>();
        GlibcRandom h = new GlibcRandom(0);
        for (int k = 0; k < 3; k++) {
            long a = 0;
            long b = 0;
            for (int i = 0; i < allocs; i++) {
                a += (g.next() % 100) * PAGE;
                b += (h.next() % 100) * PAGE;
            }
            for (int i = allocs - 1; i > 0; i--) {
                g.next();
            }
            shuffled.add(a);
            inOrder.add(b);
        }
        String p = "rounds=3,allocs=" + allocs + ",dist=article,pages=100,free=";
        assertEquals(kb(shuffled), bytes(run(p + "shuffled", Host.NATIVE)));
        assertEquals(kb(inOrder), bytes(run(p + "reverse", Host.NATIVE)));
        assertEquals(kb(inOrder), bytes(run(p + "in-order", Host.THREAD)));
    }

    @Test
    void uniformDrawsInItsRangeThreadsSeededApart() throws IOException {
        long min = 1000;
        long max = 300_000;
        ChildRuns.Measured m = run("rounds=2,allocs=20,threads=2,dist=uniform,min=" + min + ",max=" + max + ",seed=9",
                Host.NATIVE);
        GlibcRandom[] g = {new GlibcRandom(9), new GlibcRandom(10)};
        List<Long> expected = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            long sum = 0;
            for (GlibcRandom t : g) {
                for (int i = 0; i < 20; i++) {
                    sum += min + t.next() % (max - min + 1);
                }
            }
            expected.add(sum);
        }
        assertEquals(kb(expected), bytes(m), m.describe());
    }

    @Test
    void logUniformStaysInItsRangeAndRepeats() throws IOException {
        String p = "rounds=3,allocs=200,dist=loguniform,min=16,max=4000000,seed=3";
        List<Long> a = bytes(run(p, Host.NATIVE));
        assertEquals(a, bytes(run(p, Host.THREAD)), "the same draws on another host");
        for (long kb : a) {
            assertTrue(kb >= 200 * 16 / 1024 && kb <= 200L * 4_000_000 / 1024, "in range: " + kb);
            // The mean of a log-uniform in [16, 4e6] is (max - min) / ln(max / min) = 322 kB; 200 draws.
            assertTrue(kb > 200 * 100 && kb < 200 * 900, "about 200 x 322 kB: " + kb);
        }
    }

    @Test
    void sealedBlocksStayLiveIntoTheNextRound() throws IOException {
        ChildRuns.Measured m = run("rounds=3,allocs=16,dist=fixed,size=64K,seal_every=4", Host.NATIVE);
        m.rounds().forEach(r -> assertEquals(4 * 64L, r.liveAfterFreeKb(), m.describe()));
        ChildRuns.Measured half = run("rounds=2,allocs=16,dist=fixed,size=64K,seal_every=4,touch=0.5", Host.NATIVE);
        half.rounds().forEach(r -> assertEquals(4 * 32L, r.liveAfterFreeKb(), "the touched half of each sealed block"));
    }

    @Test
    void leakedBlocksAccumulate() throws IOException {
        ChildRuns.Measured m = run("rounds=3,allocs=16,threads=2,dist=fixed,size=64K,shape=leak,leak=0.25",
                Host.NATIVE);
        for (int j = 0; j < 3; j++) {
            assertEquals(2 * 4 * 64L * (j + 1), m.rounds().get(j).liveAfterFreeKb(), m.describe());
        }
    }

    @Test
    void risingSawGrowsByStepPerRoundAndIndex() throws IOException {
        ChildRuns.Measured m = run("rounds=3,first_round=2,allocs=3,dist=fixed,size=4096,shape=rising,step=8K",
                Host.NATIVE);
        List<Long> expected = new ArrayList<>();
        for (int k = 2; k <= 4; k++) {
            long sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += 4096 + 8192L * (k + i);
            }
            expected.add(sum);
        }
        assertEquals(kb(expected), bytes(m));
    }

    @Test
    void articleFourAsAChurnFileGivesArticleFoursRounds() throws IOException {
        ChildRuns.Measured article = ChildRuns.run("article-4", Host.NATIVE, List.of(), false);
        ChildRuns.Measured churn = ChildRuns.run(io.rsslab.plan.ScenarioCatalog.load()
                .find("article-4-churn").orElseThrow().name(), Host.NATIVE, List.of(), false);
        assertEquals(article.rounds().stream().map(Round::round).toList(),
                churn.rounds().stream().map(Round::round).toList(), "rounds 28..32");
        assertEquals(bytes(article), bytes(churn), "the same sizes from the same random() sequence");
        for (int j = 0; j < article.rounds().size(); j++) {
            Round a = article.rounds().get(j);
            Round c = churn.rounds().get(j);
            assertEquals(a.detail().mmapAllocs(), c.detail().mmapAllocs(), "the same blocks mmapped, round " + a.round());
            // A page of churn's bookkeeping, and the noise of two processes (their base VmRSS alone differs by up
            // to ~100 kB, so the absolute readings are compared; seen here: within 52 kB).
            assertTrue(Math.abs(a.rssAfterFreeKb() - c.rssAfterFreeKb()) <= 256,
                    article.describe() + "\n" + churn.describe());
            assertTrue(Math.abs(a.rssAfterAllocKb() - c.rssAfterAllocKb()) <= 256, article.describe() + "\n"
                    + churn.describe());
        }
    }
}
