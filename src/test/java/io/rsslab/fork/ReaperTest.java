package io.rsslab.fork;

import io.rsslab.run.Reaped;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The probe's --reap mode: the kernel's accounting of a finished child. */
class ReaperTest {

    static List<String> runReaped(String... command) throws Exception {
        Process p = new ProcessBuilder(ChildCommand.reaped(List.of(command))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> lines = new ArrayList<>(out.lines().toList());
        lines.add("exit=" + p.exitValue());
        return lines;
    }

    @Test
    void reportsTheChildsTimesAndPeak() throws Exception {
        List<String> lines = runReaped(io.rsslab.nativelib.NativeLoader.probe().toString(), "article-4");
        Reaped r = Reaped.parse(lines.get(lines.size() - 2)).orElseThrow();
        assertEquals(false, r.signaled());
        assertEquals(0, r.code());
        assertTrue(r.maxRssKb() > 100_000, "article-4 peaks above 100 MB: " + r);
        assertEquals("done\trounds=5", lines.get(lines.size() - 3), "the child's output comes first");
    }

    @Test
    void readsTheReapersLine() {
        Reaped r = Reaped.parse("reaped\texited\t0\t1500000\t250000\t1000000\t93000").orElseThrow();
        assertEquals(new Reaped(false, 0, 1.5, 0.25, 1.0, 93000), r);
        assertEquals(0, r.exitValue());
        assertTrue(Reaped.parse("reaped\tsomehow\t0\t1\t1\t1\t1").isEmpty());
        Reaped full = Reaped.parse("reaped\tsignaled\t15\t1\t1\t1\t1\t7\t2\t4242").orElseThrow();
        assertEquals(2, full.left());
        assertEquals(4242, full.pid());
        assertTrue(Reaped.parse("round\tk=1").isEmpty());
    }

    @Test
    void stopsWhatIsLeftOfTheTreeWhenTheCommandEnds() throws Exception {
        // A double-forked daemon becomes the reaper's (it is the subreaper), and is stopped and counted.
        String marker = "rsslab-reaper-marker-" + ProcessHandle.current().pid();
        List<String> lines = runReaped("sh", "-c", "(setsid sh -c 'sleep 1000; :' " + marker + " &); sleep 0.3");
        Reaped r = Reaped.parse(lines.get(0)).orElseThrow();
        assertEquals(0, r.exitValue());
        assertEquals(2, r.left(), "the daemon sh and its sleep: " + lines);
        assertTrue(r.pid() > 0);
        Thread.sleep(200);
        assertTrue(ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine().orElse("").contains(marker)));
    }

    @Test
    void tellsASignalFromAnExitCode() throws Exception {
        List<String> killed = runReaped("sh", "-c", "kill -9 $$");
        Reaped r = Reaped.parse(killed.get(0)).orElseThrow();
        assertTrue(r.signaled());
        assertEquals(9, r.code());
        assertEquals("exit=137", killed.get(1));
        Reaped e = Reaped.parse(runReaped("sh", "-c", "exit 137").get(0)).orElseThrow();
        assertEquals(false, e.signaled(), "a plain exit 137 is not a SIGKILL");
        assertEquals(137, e.code());
    }
}
