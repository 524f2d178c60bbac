package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;

class RecordParserTest {

    static final RunSpec SPEC = new RunSpec("id", ScenarioCatalog.load().find("article-4").orElseThrow(),
            Host.NATIVE, Variant.of(List.of(), false), 1, false);

    final List<Round> rounds = new ArrayList<>();
    final RecordParser parser = new RecordParser(SPEC, new RunListener() {
        @Override
        public void started(RunStart start) {
        }

        @Override
        public void round(RunStart start, Round round) {
            rounds.add(round);
        }
    });

    static final String HEADER = "rsslab\tversion=2\tscenario=article-4\thost=native\ttrim=0\tglibc=2.36\tpid=42"
            + "\tallocator=glibc\texplain=0";

    static List<String> goodRun() {
        List<String> l = new ArrayList<>(List.of(HEADER, "base\trss_kb=1200\trss_anon_kb=90"));
        for (int k = 28; k <= 32; k++) {
            l.add("round\tk=" + k + "\tbytes=" + (k * 1048576L) + "\trss_after_alloc_kb=90000\trss_after_free_kb="
                    + (1200 + k) + "\trss_anon_after_alloc_kb=89000\trss_anon_after_free_kb=100");
        }
        l.add("done\trounds=5");
        return l;
    }

    void feed(List<String> lines) throws BadOutputException {
        for (String s : lines) {
            parser.line(s);
        }
    }

    @Test
    void acceptsACompleteRun() throws BadOutputException {
        feed(goodRun());
        parser.end();
        assertEquals(5, rounds.size());
        assertEquals(28, rounds.get(0).round());
        assertEquals(28 * 1024, rounds.get(0).allocatedKb());
        assertEquals(1228, rounds.get(0).rssAfterFreeKb());
        assertEquals(100L, rounds.get(0).detail().rssAnonAfterFreeKb());
        assertEquals(null, rounds.get(0).detail().mmapAllocs(), "no glibc fields without explain");
    }

    @Test
    void rejectsARoundOutOfOrder() {
        List<String> l = goodRun();
        l.set(3, "round\tk=30\tbytes=1\trss_after_alloc_kb=1\trss_after_free_kb=1");
        BadOutputException e = assertThrows(BadOutputException.class, () -> feed(l));
        assertTrue(e.getMessage().contains("round 30 where round 29 was due"), e.getMessage());
    }

    @Test
    void rejectsATruncatedRun() throws BadOutputException {
        feed(goodRun().subList(0, 4));
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertEquals("the output stopped after 2 of 5 rounds", e.getMessage());
    }

    @Test
    void rejectsAChildThatRanSomethingElse() {
        List<String> l = goodRun();
        l.set(0, HEADER.replace("trim=0", "trim=1"));
        assertThrows(BadOutputException.class, () -> feed(l));
    }

    @Test
    void rejectsGarbageAndNegativeNumbers() {
        assertThrows(BadOutputException.class, () -> parser.line("WARNING in native method"));
        RecordParser p2 = new RecordParser(SPEC, null);
        assertThrows(BadOutputException.class, () -> {
            p2.line(goodRun().get(0));
            p2.line("base\trss_kb=-5");
        });
    }

    @Test
    void inferTheThresholdFromFreedMmappedChunks() throws BadOutputException {
        List<String> l = new ArrayList<>(List.of(HEADER.replace("explain=0", "explain=1"),
                "base\trss_kb=1200\trss_anon_kb=90"));
        long[] freed = {31424512, 32448512, 33521664, 0, 0};
        for (int k = 28; k <= 32; k++) {
            StringBuilder b = new StringBuilder("round\tk=" + k + "\tbytes=1024\trss_after_alloc_kb=1"
                    + "\trss_after_free_kb=1\tmmap_allocs=2\tfreed_mmapped_max=" + freed[k - 28]);
            for (String h : List.of("heap_", "heap_free_", "mmapped_", "top_releasable_")) {
                b.append("\t").append(h).append("after_alloc_kb=1\t").append(h).append("after_free_kb=1");
            }
            l.add(b.toString());
        }
        l.add("done\trounds=5");
        feed(l);
        parser.end();
        assertEquals(List.of(128L, 30688L, 31688L, 32736L, 32736L),
                rounds.stream().map(r -> r.detail().mmapThresholdKb()).toList());
    }

    @Test
    void aFixedThresholdStays() throws BadOutputException {
        MmapThreshold fixed = MmapThreshold.fixed(128);
        fixed.roundFreed(31424512);
        assertEquals(128, fixed.currentKb());
    }

    @Test
    void reportsMallocFailure() throws BadOutputException {
        feed(goodRun().subList(0, 3));
        parser.line("malloc-failed\tk=29\ti=1\tsize=99999");
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertTrue(e.getMessage().startsWith("malloc returned NULL in round 29 (allocation 1, 99999 bytes)"));
    }
}
