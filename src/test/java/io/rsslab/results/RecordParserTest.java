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

    static List<String> goodRun() {
        List<String> l = new ArrayList<>(List.of("rsslab\t1\tarticle-4\tnative\t0\t2.36\t42", "base\t1200"));
        for (int k = 28; k <= 32; k++) {
            l.add("round\t" + k + "\t" + (k * 1048576L) + "\t90000\t" + (1200 + k));
        }
        l.add("done\t5");
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
        assertEquals(new Round(28, 28 * 1024, 90000, 1228), rounds.get(0));
    }

    @Test
    void rejectsARoundOutOfOrder() {
        List<String> l = goodRun();
        l.set(3, "round\t30\t1\t1\t1");
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
        l.set(0, "rsslab\t1\tarticle-4\tnative\t1\t2.36\t42");
        assertThrows(BadOutputException.class, () -> feed(l));
    }

    @Test
    void rejectsGarbageAndNegativeNumbers() {
        assertThrows(BadOutputException.class, () -> parser.line("WARNING in native method"));
        RecordParser p2 = new RecordParser(SPEC, null);
        assertThrows(BadOutputException.class, () -> {
            p2.line(goodRun().get(0));
            p2.line("base\t-5");
        });
    }

    @Test
    void reportsMallocFailure() throws BadOutputException {
        feed(goodRun().subList(0, 3));
        parser.line("malloc-failed\t29\t1\t99999");
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertTrue(e.getMessage().startsWith("malloc returned NULL in round 29 (allocation 1, 99999 bytes)"));
    }
}
