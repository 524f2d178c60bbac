package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.rsslab.fork.ChildOptions;
import io.rsslab.malloc.MmapThreshold;
import io.rsslab.plan.Host;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.run.Round;
import io.rsslab.run.RoundDetail;

/** The explain columns: they do not disturb the allocator, and they agree with each other. */
class ExplainTest {

    static final long PAGE_KB = 4;

    @Test
    void explainingDoesNotChangeWhatTheAllocatorDoes() throws IOException {
        ChildRuns.Measured with = ChildRuns.run("article-4", Host.NATIVE, Variant.BASELINE, ChildOptions.DEFAULT);
        ChildRuns.Measured without = ChildRuns.run("article-4", Host.NATIVE, Variant.BASELINE,
                ChildOptions.DEFAULT.withoutExplain());
        assertEquals(null, without.rounds().get(0).detail().mmapAllocs(), "the bare run measures nothing more");
        // Anonymous memory is the allocator's. Measured from round 28's after-free reading (by then both
        // runs have touched every page of their own setup), the two agree exactly in most runs; the bare
        // loop differs from itself by one 4 KiB page between runs (10 runs each: identical in 7), so one
        // page is the tolerance.
        long refA = with.rounds().get(0).detail().rssAnonAfterFreeKb();
        long refB = without.rounds().get(0).detail().rssAnonAfterFreeKb();
        for (int i = 0; i < with.rounds().size(); i++) {
            RoundDetail a = with.rounds().get(i).detail();
            RoundDetail b = without.rounds().get(i).detail();
            long allocA = a.rssAnonAfterAllocKb() - refA;
            long allocB = b.rssAnonAfterAllocKb() - refB;
            long freeA = a.rssAnonAfterFreeKb() - refA;
            long freeB = b.rssAnonAfterFreeKb() - refB;
            assertTrue(Math.abs(allocA - allocB) <= PAGE_KB, "round " + i + " after alloc: " + allocA + " vs " + allocB);
            assertTrue(Math.abs(freeA - freeB) <= PAGE_KB, "round " + i + " after free: " + freeA + " vs " + freeB);
        }
    }

    /** The requests of article-4 round k are (k + i) MiB less at most 60 KiB. */
    static int requestsAtOrAbove(int k, long thresholdKb) {
        int n = 0;
        for (int i = 0; i < 3; i++) {
            n += (k + i) * 1024L >= thresholdKb ? 1 : 0;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(Host.class)
    void theInferredThresholdAgreesWithTheMmapCounts(Host host) throws IOException {
        List<Round> rounds = ChildRuns.run("article-4", host, List.of(), false).rounds();
        assertEquals(128L, rounds.get(0).detail().mmapThresholdKb(), "every process starts at 128 KiB");
        assertEquals(3, rounds.get(0).detail().mmapAllocs(), "so round 28's ~28 MiB blocks are all mmapped");
        long previous = 0;
        for (Round r : rounds) {
            long t = r.detail().mmapThresholdKb();
            assertTrue(t >= previous && t <= 32 * 1024, "the dynamic threshold only rises, to 32 MiB at most");
            // glibc never mmaps a request below the threshold.
            assertTrue(r.detail().mmapAllocs() <= requestsAtOrAbove(r.round(), t),
                    "round " + r.round() + ": " + r.detail().mmapAllocs() + " mmapped with threshold " + t);
            previous = t;
        }
        assertTrue(rounds.get(1).detail().mmapThresholdKb() > 28 * 1024, "raised by round 28's frees");
        assertTrue(rounds.get(1).detail().mmapAllocs() < 3, "so round 29 puts a block on the heap");
    }

    @Test
    void aVariantWithoutTheDynamicThresholdMmapsEveryBlock() throws IOException {
        Variant v = VariantCatalog.load().find("mmap-threshold").orElseThrow().variant();
        List<Round> rounds = ChildRuns.run("article-4", Host.NATIVE, v,
                ChildOptions.DEFAULT.withThreshold(new MmapThreshold.Rule(false, 128))).rounds();
        for (Round r : rounds) {
            assertEquals(128L, r.detail().mmapThresholdKb());
            assertEquals(3, r.detail().mmapAllocs());
            assertTrue(r.detail().afterAlloc().mmappedKb() >= r.allocatedKb(), "mallinfo2 hblkhd covers the blocks");
        }
    }

    @Test
    void heapStateAndCostsMeanWhatTheySay(@TempDir Path dir) throws IOException {
        Path xml = dir.resolve("m.xml");
        ChildRuns.Measured m = ChildRuns.run("article-4", Host.NATIVE, Variant.BASELINE,
                ChildOptions.DEFAULT.withMallocInfo(xml));
        Round last = m.rounds().get(4);
        long retained = m.retainedKb(last);
        RoundDetail d = last.detail();
        // The baseline's 63 MiB is free space at the top of the main heap.
        assertTrue(Math.abs(d.afterFree().heapFreeKb() - retained) < 1024, d.toString());
        assertTrue(Math.abs(d.afterFree().topReleasableKb() - retained) < 1024, d.toString());
        // Touching a fresh page is one minor fault: round 28 (all mmapped) faults in every page.
        Round first = m.rounds().get(0);
        assertTrue(first.detail().alloc().minflt() >= first.allocatedKb() / 4 * 95 / 100, first.detail().toString());
        String text = Files.readString(xml);
        assertTrue(text.startsWith("<malloc version=\"1\">") && text.contains("<heap nr=\"0\">"), text);
    }
}
