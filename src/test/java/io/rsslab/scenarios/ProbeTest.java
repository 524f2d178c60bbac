package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.results.BadOutputException;
import io.rsslab.results.RecordParser;
import io.rsslab.results.Round;
import io.rsslab.results.RunListener;
import io.rsslab.results.RunStart;

/** The probe executable on its own: its catalog and its malloc-failure report. */
class ProbeTest {

    @Test
    void knowsEveryCatalogScenarioAndNoOther() throws Exception {
        for (String name : ScenarioCatalog.load().names()) {
            Process p = new ProcessBuilder(NativeLoader.probe().toString(), name, "--format", "nonsense").start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, p.waitFor());
            assertTrue(err.contains("--format takes records or seed"), name + ": " + err);
        }
        Process p = new ProcessBuilder(NativeLoader.probe().toString(), "article-9").start();
        assertEquals(2, p.waitFor());
    }

    @Test
    void mallocFailureIsReportedAsTheArticlesProgramWould() throws Exception {
        // A 60 MB address-space limit: article-4's first 28 MB blocks fit, the third does not.
        String probe = NativeLoader.probe().toString();
        Process p = new ProcessBuilder("sh", "-c", "ulimit -v 60000 && exec \"$0\" article-4", probe).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, p.waitFor(), out);
        RunSpec spec = new RunSpec("id", ScenarioCatalog.load().find("article-4").orElseThrow(), Host.NATIVE,
                Variant.of(List.of(), false), 1, false);
        RecordParser parser = new RecordParser(spec, new RunListener() {
            @Override
            public void started(RunStart start) {
            }

            @Override
            public void round(RunStart start, Round round) {
            }
        });
        for (String line : out.split("\n")) {
            parser.line(line);
        }
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertTrue(e.getMessage().startsWith("malloc returned NULL in round 28 (allocation "), e.getMessage());
    }
}
