package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.fork.BadOutputException;
import io.rsslab.fork.ChildExitCode;
import io.rsslab.fork.RecordParser;
import io.rsslab.malloc.MmapThreshold;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/** The probe executable on its own: its catalog, its malloc-failure report, a /proc reading that fails. */
class ProbeTest {

    static final RunSpec ARTICLE_4 = new RunSpec("id", ScenarioCatalog.load().find("article-4").orElseThrow(),
            Host.NATIVE, Variant.of(List.of(), false), 1, false);

    static final RunListener IGNORE = new RunListener() {
        @Override
        public void started(RunStart start) {
        }

        @Override
        public void round(RunStart start, Round round) {
        }
    };

    record Ran(int exit, String out, String err) {
    }

    static Ran run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out, err);
    }

    @Test
    void knowsEveryCatalogScenarioAndNoOther() throws Exception {
        for (String name : ScenarioCatalog.load().names()) {
            Ran r = run(NativeLoader.probe().toString(), name, "--format", "nonsense");
            assertEquals(ChildExitCode.USAGE.code(), r.exit());
            assertTrue(r.err().contains("--format takes records or seed"), name + ": " + r.err());
        }
        assertEquals(ChildExitCode.USAGE.code(), run(NativeLoader.probe().toString(), "article-9").exit());
    }

    @Test
    void mallocFailureIsReportedAsTheArticlesProgramWould() throws Exception {
        // A 60 MB address-space limit: article-4's first 28 MB blocks fit, the third does not.
        Ran r = run("sh", "-c", "ulimit -v 60000 && exec \"$0\" article-4", NativeLoader.probe().toString());
        assertEquals(ChildExitCode.MALLOC_FAILED.code(), r.exit(), r.out());
        RecordParser parser = new RecordParser(ARTICLE_4, IGNORE, MmapThreshold.dynamicFromDefault());
        for (String line : r.out().split("\n")) {
            parser.line(line);
        }
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertTrue(e.getMessage().startsWith("malloc returned NULL in round 28 (allocation "), e.getMessage());
    }

    @Test
    void aProcReadingThatFailsIsAnErrorRecordNeverANumber() throws Exception {
        // A private mount namespace whose /proc is an empty tmpfs: /proc/self/status cannot be opened.
        String probe = NativeLoader.probe().toString();
        Ran r = run("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs none /proc && exec \"$0\" article-4", probe);
        assumeTrue(!r.err().contains("unshare failed") && !r.err().contains("mount:") && r.exit() != 127,
                () -> "needs root and mount namespaces (unshare): " + r.err());
        assertEquals(ChildExitCode.PROC_FAILED.code(), r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("error\tk=-1\tsource=/proc/self/status\tfield=file\n"), r.out());
        assertTrue(!r.out().contains("base\t"), "no reading made of the failure: " + r.out());
        RecordParser parser = new RecordParser(ARTICLE_4, IGNORE, MmapThreshold.dynamicFromDefault());
        for (String line : r.out().split("\n")) {
            parser.line(line);
        }
        BadOutputException e = assertThrows(BadOutputException.class, parser::end);
        assertEquals("the child could not read /proc/self/status before the first round", e.getMessage());
    }

    /** The probe, with LD_PRELOAD as ld.so will see it, and what its header says of it. */
    static Ran withPreload(String preload) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(NativeLoader.probe().toString(), "article-4");
        pb.environment().put("LD_PRELOAD", preload);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Ran(p.waitFor(), out, err);
    }

    @Test
    void theChildSaysWhetherItsPreloadWasLoaded() throws Exception {
        String lib = java.nio.file.Path.of("target/classes/native/linux-x86_64/librsslab.so").toRealPath().toString();
        Ran loaded = withPreload(lib);
        assertTrue(loaded.out().lines().findFirst().orElse("").endsWith("\tpreload=loaded"), loaded.out());
        // ld.so ignores what it cannot preload and goes on: the child must say so.
        Ran ignored = withPreload("/no/such/lib.so");
        assertTrue(ignored.err().contains("cannot be preloaded"), ignored.err());
        assertTrue(ignored.out().lines().findFirst().orElse("").endsWith("\tpreload=missing"), ignored.out());
        RunSpec asked = new RunSpec("id", ARTICLE_4.scenario(), Host.NATIVE, ARTICLE_4.variant()
                .compose(null, List.of(), "/no/such/lib.so", false, List.of()), 1, false);
        RecordParser parser = new RecordParser(asked, IGNORE, MmapThreshold.dynamicFromDefault());
        BadOutputException e = assertThrows(BadOutputException.class,
                () -> parser.line(ignored.out().lines().findFirst().orElseThrow()));
        assertTrue(e.getMessage().startsWith("the child runs without its preload /no/such/lib.so"), e.getMessage());
        Ran none = run(NativeLoader.probe().toString(), "article-4");
        assertTrue(none.out().lines().findFirst().orElse("").endsWith("\tpreload=none"), none.out());
    }
}
