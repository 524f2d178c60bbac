package io.rsslab.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.run.Round;

class SeedParserTest {

    /** The article's own example 4 text, rebuilt from the transcribed figures. */
    static List<String> articleText() {
        List<String> lines = new ArrayList<>();
        for (ReferenceRow r : ReferenceFigures.load().run("article-4", "baseline")) {
            lines.add(r.round() + "\t+" + r.allocatedKb() + " KB");
            lines.add("\tRSS: " + r.rssAfterAllocKb() + " KB");
            lines.add("\t-" + r.allocatedKb() + " KB");
            lines.add("\tRSS: " + r.rssAfterFreeKb() + " KB");
        }
        return lines;
    }

    @Test
    void readsTheArticlesText() throws BadOutputException {
        List<Round> rounds = new ArrayList<>();
        SeedParser p = new SeedParser(ScenarioCatalog.load().find("article-4").orElseThrow(), rounds::add);
        for (String l : articleText()) {
            p.line(l);
        }
        p.end();
        assertEquals(new Round(32, 101312, 133496, 64944), rounds.get(4));
    }

    @Test
    void rejectsAnotherLayoutAndAShortRun() throws BadOutputException {
        SeedParser p = new SeedParser(ScenarioCatalog.load().find("article-4").orElseThrow(), r -> { });
        assertThrows(BadOutputException.class, () -> p.line("28 +89000 KB"));
        SeedParser q = new SeedParser(ScenarioCatalog.load().find("article-4").orElseThrow(), r -> { });
        for (String l : articleText().subList(0, 6)) {
            q.line(l);
        }
        assertThrows(BadOutputException.class, q::end);
    }
}
