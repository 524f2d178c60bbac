package io.rsslab.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.results.FolderKind;
import io.rsslab.results.ReplayColumn;
import io.rsslab.results.TryColumn;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TraceWriter;

/**
 * try, replay and record at their launchers, without the command line: the
 * rows they write, the folder's kind, what they refuse, the callbacks they
 * make (the command line's own smoke tests are in cli).
 */
class LaunchersTest {

    static final Origin ORIGIN = new Origin("rsslab test", "rsslab (test)");
    static final Path KNOWN = Path.of("src/test/resources/record/known.trace");

    @TempDir
    Path dir;

    static List<Variant> variants(String... names) {
        return PlanBuilder.variants(VariantCatalog.load(), List.of(names), null, null);
    }

    TryLauncher.Settings trySettings(List<String> command, Path out, Long peakKb, TryLauncher.InspectAt inspect) {
        return new TryLauncher.Settings(command, variants("baseline", "trim-threshold"), 2, Duration.ofMillis(20),
                null, peakKb, 2, false, out, ORIGIN, inspect);
    }

    @Test
    void tryRunsEveryVariantAndRepeatInATryFolderAndInspectsThroughItsCallback() throws Exception {
        Path out = dir.resolve("try");
        List<Long> inspected = Collections.synchronizedList(new ArrayList<>());
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        TryLauncher.Outcome o = TryLauncher.launch(trySettings(List.of("/bin/sleep", "0.3"), out, null,
                new TryLauncher.InspectAt(0.05, (folder, id, pid) -> {
                    inspected.add(pid);
                    return id + ".seen";
                })), (done, total, run, outcome, summary) -> seen.add(total));
        assertEquals(out, o.folder());
        assertEquals(0, o.failed());
        assertEquals(4, o.runs().size(), "two variants, two repeats");
        assertEquals(List.of(4, 4, 4, 4), seen, "the observer told of each");
        assertEquals(4, inspected.size(), "the callback ran once per run: " + inspected);
        for (CsvRow<TryColumn> r : o.runs()) {
            assertEquals("ok", r.get(TryColumn.STATUS), r.toString());
            assertEquals(r.get(TryColumn.RUN_ID) + ".seen", r.get(TryColumn.INSPECT_JSON));
        }
        assertEquals(FolderKind.TRY, FolderKind.of(out));
        assertTrue(Files.readString(out.resolve("environment.csv")).startsWith(
                "section,name,value,note\r\nrsslab,command,rsslab test,"), "the origin's rows first");
    }

    @Test
    void tryOfACommandThatFailsEverywhereIsOneLineAndItsFolderIsKept() throws Exception {
        Path out = dir.resolve("fails");
        RunsFailed e = assertThrows(RunsFailed.class, () -> TryLauncher.launch(trySettings(List.of("/bin/sh", "-c",
                "echo nope; exit 3"), out, null, null), TryLauncher.Observer.NONE));
        assertTrue(e.getMessage().startsWith("/bin/sh -c echo nope; exit 3 failed under every variant: "), e.getMessage());
        assertTrue(e.getMessage().contains("its output ended: nope"), e.getMessage());
        assertTrue(Files.isRegularFile(out.resolve("runs.csv")));
    }

    @Test
    void tryRefusesBeforeAnythingStarts() {
        Path out = dir.resolve("never");
        LaunchError big = assertThrows(LaunchError.class, () -> TryLauncher.launch(trySettings(List.of("/bin/true"),
                out, Long.MAX_VALUE / 4, null), TryLauncher.Observer.NONE));
        assertTrue(big.getMessage().startsWith("the command's peak, "), big.getMessage());
        assertFalse(Files.exists(out), "nothing made");
        LaunchError trim = assertThrows(LaunchError.class, () -> TryLauncher.launch(new TryLauncher.Settings(
                List.of("/bin/true"), variants("trim"), 1, Duration.ofMillis(20), null, null, 1, false, out, ORIGIN,
                null), TryLauncher.Observer.NONE));
        assertTrue(trim.getMessage().contains("not to a command"), trim.getMessage());
        assertFalse(Files.exists(out), "nothing made");
    }

    @Test
    void replayMakesEachVariantsRowInAReplayFolder() throws Exception {
        Path out = dir.resolve("replay");
        List<String> told = new ArrayList<>();
        ReplayLauncher.Outcome o = ReplayLauncher.launch(new ReplayLauncher.Settings(KNOWN, variants("baseline",
                "trim-threshold"), Host.THREAD, false, 5L, 1, out, ORIGIN),
                (done, total, v, r, row) -> told.add(done + "/" + total + " " + v.name()));
        assertEquals(List.of("1/2 baseline", "2/2 trim-threshold"), told);
        assertEquals(0, o.failed());
        long calls = TraceFile.shape(KNOWN).calls();
        assertEquals(calls, o.shape().calls());
        for (CsvRow<ReplayColumn> r : o.runs()) {
            assertEquals("ok", r.get(ReplayColumn.STATUS), r.toString());
            assertEquals(Long.toString(calls), r.get(ReplayColumn.EVENTS), "every call replayed");
            assertEquals("thread", r.get(ReplayColumn.HOST));
        }
        assertEquals(FolderKind.REPLAY, FolderKind.of(out));
    }

    @Test
    void replayRefusesWhatIsNotATraceBeforeAnyChild() throws Exception {
        Path notTrace = Files.writeString(dir.resolve("x.trace"), "not a trace");
        Path out = dir.resolve("r");
        LaunchError e = assertThrows(LaunchError.class, () -> ReplayLauncher.launch(new ReplayLauncher.Settings(
                notTrace, variants("baseline"), Host.NATIVE, false, null, 1, out, ORIGIN), ReplayLauncher.Observer.NONE));
        assertFalse(Files.exists(out), e.getMessage());
        LaunchError missing = assertThrows(LaunchError.class, () -> ReplayLauncher.launch(new ReplayLauncher.Settings(
                dir.resolve("none"), variants("baseline"), Host.NATIVE, false, null, 1, out, ORIGIN),
                ReplayLauncher.Observer.NONE));
        assertTrue(missing.getMessage().endsWith(": no such file"), missing.getMessage());
    }

    @Test
    void recordWritesTheProgramsTraceAndNeverReplacesOneUnasked() throws Exception {
        Path out = dir.resolve("sh.trace");
        int[] status = {-1};
        List<String> cmd = List.of("/bin/sh", "-c", "exit 5");
        List<TraceWriter.Written> w = RecordLauncher.launch(new RecordLauncher.Settings(cmd, out, false),
                s -> status[0] = s);
        assertEquals(5, status[0], "the program's exit status");
        TraceWriter.Written top = w.stream().filter(TraceWriter.Written::top).findFirst().orElseThrow();
        assertEquals(out, top.target());
        TraceFile.Shape shape = TraceFile.shape(out);
        assertEquals(top.summary().records(), shape.calls(), "the file holds what the merge counted");
        assertEquals("/bin/sh -c exit 5", shape.header().get("command"));
        byte[] first = Files.readAllBytes(out);
        LaunchError again = assertThrows(LaunchError.class, () -> RecordLauncher.launch(new RecordLauncher.Settings(cmd,
                out, false), s -> { }));
        assertTrue(again.getMessage().contains("already exists"), again.getMessage());
        assertEquals(first.length, Files.readAllBytes(out).length, "kept as it was");
        String recorded = shape.header().get("recorded");
        List<TraceWriter.Written> w2 = RecordLauncher.launch(new RecordLauncher.Settings(cmd, out, true), s -> { });
        TraceFile.Shape replaced = TraceFile.shape(out);
        assertFalse(recorded.equals(replaced.header().get("recorded")), "--overwrite replaced it");
        assertEquals(w2.stream().filter(TraceWriter.Written::top).findFirst().orElseThrow().summary().records(),
                replaced.calls(), "by a complete trace");
    }
}
