package io.rsslab.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.rsslab.malloc.MmapThreshold;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

class RecordParserTest {

    static final RunSpec SPEC = new RunSpec("id", ScenarioCatalog.load().find("article-4").orElseThrow(),
            Host.NATIVE, Variant.of(List.of(), false), 1, false);

    final List<Round> rounds = new ArrayList<>();
    final RunListener collect = new RunListener() {
        @Override
        public void started(RunStart start) {
        }

        @Override
        public void round(RunStart start, Round round) {
            rounds.add(round);
        }
    };
    final RecordParser parser = new RecordParser(SPEC, collect, MmapThreshold.dynamicFromDefault());

    static final String HEADER = "rsslab\tversion=3\tscenario=article-4\thost=native\ttrim=0\tglibc=2.36\tpid=42"
            + "\tallocator=glibc\texplain=0\tpreload=none";

    static String round(int k) {
        return "round\tk=" + k + "\tbytes=" + (k * 1048576L) + "\trss_after_alloc_kb=90000\trss_after_free_kb="
                + (1200 + k) + "\trss_anon_after_alloc_kb=89000\trss_anon_after_free_kb=100";
    }

    static List<String> goodRun() {
        List<String> l = new ArrayList<>(List.of(HEADER, "base\trss_kb=1200\trss_anon_kb=90"));
        for (int k = 28; k <= 32; k++) {
            l.add(round(k));
        }
        l.add("done\trounds=5");
        return l;
    }

    static void feed(RecordParser p, List<String> lines) throws BadOutputException {
        for (String s : lines) {
            p.line(s);
        }
    }

    @Test
    void acceptsACompleteRun() throws BadOutputException {
        feed(parser, goodRun());
        parser.end();
        assertEquals(5, rounds.size());
        assertEquals(28, rounds.get(0).round());
        assertEquals(28 * 1024, rounds.get(0).allocatedKb());
        assertEquals(1228, rounds.get(0).rssAfterFreeKb());
        assertEquals(100L, rounds.get(0).detail().rssAnonAfterFreeKb());
        assertEquals(null, rounds.get(0).detail().mmapAllocs(), "no glibc fields without explain");
        assertNull(rounds.get(0).pause());
    }

    @Test
    void rejectsARoundOutOfOrder() throws BadOutputException {
        List<String> l = goodRun();
        feed(parser, l.subList(0, 3));
        BadOutputException e = assertThrows(BadOutputException.class,
                () -> parser.line("round\tk=30\tbytes=1\trss_after_alloc_kb=1\trss_after_free_kb=1"));
        assertTrue(e.getMessage().contains("round 30 where round 29 was due"), e.getMessage());
    }

    @Test
    void rejectsATruncatedRun() throws BadOutputException {
        feed(parser, goodRun().subList(0, 4));
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertEquals("the output stopped after 2 of 5 rounds", e.getMessage());
    }

    @Test
    void rejectsAChildThatRanSomethingElse() {
        BadOutputException e = assertThrows(BadOutputException.class,
                () -> parser.line(HEADER.replace("trim=0", "trim=1")));
        assertTrue(e.getMessage().contains("not what was asked"), e.getMessage());
    }

    @Test
    void rejectsAnotherRecordsVersion() {
        BadOutputException e = assertThrows(BadOutputException.class,
                () -> parser.line(HEADER.replace("version=3", "version=2")));
        assertTrue(e.getMessage().contains("records version 2, this rsslab reads version 3"), e.getMessage());
    }

    @Test
    void rejectsGarbage() {
        assertThrows(BadOutputException.class, () -> parser.line("WARNING in native method"));
    }

    @Test
    void rejectsNegativeNumbers() throws BadOutputException {
        parser.line(HEADER);
        BadOutputException e = assertThrows(BadOutputException.class, () -> parser.line("base\trss_kb=-5"));
        assertTrue(e.getMessage().contains("negative rss_kb=-5"), e.getMessage());
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
        feed(parser, l);
        parser.end();
        assertEquals(List.of(128L, 30688L, 31688L, 32736L, 32736L),
                rounds.stream().map(r -> r.detail().mmapThresholdKb()).toList());
    }

    @Test
    void reportsMallocFailure() throws BadOutputException {
        feed(parser, goodRun().subList(0, 3));
        parser.line("malloc-failed\tk=29\ti=1\tsize=99999");
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertTrue(e.getMessage().startsWith("malloc returned NULL in round 29 (allocation 1, 99999 bytes)"));
    }

    @Test
    void aFailedProcReadingIsAFailureNotANumber() throws BadOutputException {
        feed(parser, goodRun().subList(0, 3));
        parser.line("error\tk=29\tsource=/proc/self/status\tfield=RssAnon");
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertEquals("the child could not read RssAnon from /proc/self/status in round 29", e.getMessage());
        assertEquals(1, rounds.size(), "no round made of the failed reading");
    }

    /** A parser expecting a pause after round 30, answered by recording what it was asked. */
    final List<String> asked = new ArrayList<>();
    final RecordParser pausing = new RecordParser(SPEC, collect, MmapThreshold.dynamicFromDefault(), 30,
            (round, pid) -> {
                asked.add(round + "/" + pid);
                return "trimmed";
            });

    static List<String> pausedRun() {
        List<String> l = goodRun();
        l.addAll(4, List.of("paused\tk=30\tpid=42", "resumed\tk=30\trss_kb=1300\trss_anon_kb=80"));
        return l;
    }

    @Test
    void aPauseIsRaisedToItsHandlerAndEndsUpInItsRound() throws BadOutputException {
        feed(pausing, pausedRun());
        pausing.end();
        assertEquals(List.of("30/42"), asked, "the handler answered the pause once, for the child's pid");
        assertEquals(new Round.Pause("trimmed", 1300, 80), rounds.get(2).pause());
        assertEquals(30, rounds.get(2).round());
        assertNull(rounds.get(1).pause());
        assertNull(rounds.get(3).pause());
    }

    /** A pause where none was asked for, after the wrong round, skipped, or for another process. */
    static Stream<Arguments> pausesOutOfPlace() {
        return Stream.of(Arguments.of(false, 4, "paused\tk=30\tpid=42", "but no pause was asked for"),
                Arguments.of(true, 3, "paused\tk=29\tpid=42", "the pause was asked for after round 30"),
                Arguments.of(true, 4, round(30), "without the pause that was asked for"),
                Arguments.of(true, 4, "paused\tk=30\tpid=7", "names pid 7"));
    }

    @ParameterizedTest(name = "{2}: {3}")
    @MethodSource("pausesOutOfPlace")
    void aPauseOutOfPlaceIsBadOutput(boolean asking, int fed, String bad, String expected)
            throws BadOutputException {
        RecordParser p = asking ? pausing : parser;
        feed(p, goodRun().subList(0, fed));
        BadOutputException e = assertThrows(BadOutputException.class, () -> p.line(bad));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(List.of(), asked, "the handler was not called");
    }
}
