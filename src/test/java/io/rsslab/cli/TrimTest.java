package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.inspect.Target;
import io.rsslab.inspect.glibc.GlibcHeap;
import io.rsslab.nativelib.NativeLoader;

/**
 * rsslab trim and tune on real targets (src/test/resources/act/target.c, and
 * inspect's holder.c): the VmRSS drop is inspect's prediction; a target in a
 * syscall finishes as an untouched one does; every refusal is one line, exit
 * 5, the target as it was; the parent's death never harms the target.
 */
class TrimTest {

    @TempDir
    static Path dir;
    static Path target;
    static Path holder;

    @BeforeAll
    static void build() throws Exception {
        target = cc("act/target.c", "target");
        holder = cc("inspect/holder.c", "holder");
    }

    static Path cc(String source, String name, String... flags) throws Exception {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-pthread", "-o", out.toString(),
                Path.of("src/test/resources", source).toString()));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + said);
        return out;
    }

    /** A target process: "ready PID" read; its further lines and its stdin (inspect's holder, another program). */
    static final class Proc extends InspectTest.Held {
        Proc(Map<String, String> env, String... command) throws Exception {
            super(List.of(command), env);
        }
    }

    static Proc start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(target.toString()));
        cmd.addAll(List.of(args));
        return new Proc(Map.of(), cmd.toArray(String[]::new));
    }

    static long kb(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertTrue(m.find(), p + " in:\n" + text);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    static final Pattern PREDICTED = Pattern.compile("inspect predicted: malloc_trim\\(0\\) returns ([\\d,]+) kB");
    static final Pattern FELL = Pattern.compile("VmRSS: .* \\(fell by ([\\d,]+) kB");

    /** trim's VmRSS drop against its own prediction, within 5% or 2 MiB (the issue's rule). */
    static void assertAsPredicted(CliRunner.Outcome o) {
        assertEquals(0, o.exitCode(), o.err() + o.out());
        long predicted = kb(PREDICTED, o.out());
        long fell = kb(FELL, o.out());
        assertTrue(Math.abs(predicted - fell) <= Math.max(2048, fell / 20), o.out());
        assertTrue(o.out().contains("malloc_trim returned 1"), o.out());
        assertTrue(o.out().matches("(?s).*stood still \\d+\\.\\d ms.*"), o.out());
        // Per arena, read again after the call: what each gave back, summing to about the drop of VmRSS.
        Matcher gave = Pattern.compile("arena at 0x\\p{XDigit}+: resident .* \\(gave back (-?[\\d,]+) kB").matcher(o.out());
        long sum = 0;
        while (gave.find()) {
            sum += Long.parseLong(gave.group(1).replace(",", ""));
        }
        assertTrue(Math.abs(sum - fell) <= Math.max(2048, fell / 20), "per arena " + sum + " kB, VmRSS fell " + fell
                + ":\n" + o.out());
    }

    @Test
    void cHolderGivesBackWhatInspectPredicted() throws Exception {
        try (Proc p = start("bins")) {
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertAsPredicted(o);
            assertTrue(kb(FELL, o.out()) > 50_000, o.out());
            p.send("\n");
            assertTrue(p.line().startsWith("done "));
        }
    }

    @Test
    void twoThreadHolderBinsReturnedThreadTopsNot() throws Exception {
        try (Proc p = new Proc(Map.of(), holder.toString(), "threads")) {
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertAsPredicted(o);
            // The thread heaps' tops stay (malloc_trim never shrinks a thread heap's top: heap_trim does, on free).
            assertTrue(kb(Pattern.compile("-> ([\\d,]+) kB"), o.out()) > 60 * 1024, o.out());
        }
    }

    @Test
    void unmodifiedPython() throws Exception {
        Path py = dir.resolve("hold.py");
        Files.writeString(py, "import os, sys\njunk = [bytes(1000) + bytes([i % 256]) for i in range(60000)]\n"
                + "anchor = bytes(5000)\ndel junk\nprint('ready', os.getpid(), flush=True)\nsys.stdin.readline()\n"
                + "print('done', len(anchor), flush=True)\n");
        try (Proc p = new Proc(Map.of(), "python3", py.toString())) {
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertAsPredicted(o);
            assertTrue(kb(FELL, o.out()) > 50_000, o.out());
            p.send("\n");
            assertEquals("done 5000", p.line());
        }
    }

    /** The untouched run's figure, then the touched one's: a restarted syscall sleeps as long, no EINTR. */
    /** A JVM goes through its own safe path, jcmd System.trim_native_heap, and the output says so. */
    @Test
    void aJvmIsTrimmedThroughJcmd() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path src = Path.of("src/test/resources/inspect/UnsafeHolder.java").toAbsolutePath();
        try (InspectTest.Held h = new InspectTest.Held(List.of(java.toString(), "-Xint", "-XX:+UseSerialGC", "-Xmx64m",
                src.toString()), Map.of())) {
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(h.pid));
            assertEquals(0, o.exitCode(), o.err() + o.out());
            assertTrue(o.out().contains("path: jcmd " + h.pid + " System.trim_native_heap"), o.out());
            assertTrue(o.out().contains("Trim native heap"), "jcmd's own words: " + o.out());
            // UnsafeHolder freed 16 MiB into the main heap's bins: the trim gives them back.
            assertTrue(kb(FELL, o.out()) >= 12 * 1024, o.out());
            assertEquals(0, traced(h.pid), "jcmd never traces it");
        }
    }

    @Test
    void nanosleepRestartsAsIfNothingHappened() throws Exception {
        long untouched;
        try (Proc p = start("sleep", "3000")) {
            untouched = sleptMicros(p.line());
        }
        try (Proc p = start("sleep", "3000")) {
            Thread.sleep(300);
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertEquals(0, o.exitCode(), o.err());
            long touched = sleptMicros(p.line());
            assertTrue(touched >= 3_000_000 && touched - 3_000_000 <= Math.max(10_000, 2 * (untouched - 3_000_000)),
                    "slept " + touched + " us (untouched " + untouched + ")");
        }
    }

    static long sleptMicros(String line) {
        Matcher m = Pattern.compile("slept (\\d+) rc 0 errno 0").matcher(line);
        assertTrue(m.matches(), line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void readOnAPipeGetsItsDataNoEintr() throws Exception {
        try (Proc p = start("read")) {
            Thread.sleep(200);
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertEquals(0, o.exitCode(), o.err());
            p.send("hello\n");
            assertEquals("read 6 errno 0 hello", p.line());
        }
    }

    @Test
    void futexWaitTimesOutOnTime() throws Exception {
        try (Proc p = start("futex", "3000")) {
            Thread.sleep(300);
            CliRunner.Outcome o = CliRunner.run("trim", Long.toString(p.pid));
            assertEquals(0, o.exitCode(), o.err());
            Matcher m = Pattern.compile("futex -1 errno 110 us (\\d+)").matcher(p.line());
            assertTrue(m.matches());
            long us = Long.parseLong(m.group(1));
            assertTrue(us >= 3_000_000 && us < 3_050_000, us + " us");
        }
    }

    static String state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    static long vmRss(long pid) throws Exception {
        return Long.parseLong(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow().replaceAll("\\D", ""));
    }

    /** One line naming the rule, exit 5, the target's state and VmRSS as before. */
    static void assertRefused(long pid, String rule, String... more) throws Exception {
        boolean stopped = state(pid).equals("T");
        long rss = vmRss(pid);
        List<String> args = new ArrayList<>(List.of("trim", Long.toString(pid), "--wait", "0.3"));
        args.addAll(List.of(more));
        CliRunner.Outcome o = CliRunner.run(args.toArray(String[]::new));
        assertEquals(ExitCodes.REFUSED, o.exitCode(), o.err() + o.out());
        assertEquals(1, o.errLines().length, o.err());
        assertTrue(o.err().startsWith("rsslab: refused (" + rule + "): "), o.err());
        assertEquals(stopped, state(pid).equals("T"), "stopped as before, or running as before");
        assertEquals(rss, vmRss(pid), 64, "VmRSS unchanged");
    }

    @Test
    void refusesJemallocPreloaded() throws Exception {
        Path je = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        assumeTrue(Files.exists(je));
        try (Proc p = new Proc(Map.of("LD_PRELOAD", je.toString()), target.toString(), "bins")) {
            assertRefused(p.pid, "allocator");
            p.send("\n");
            assertTrue(p.line().startsWith("done"));
        }
    }

    @Test
    void refusesAStaticBinary() throws Exception {
        Path stat = dir.resolve("target-static");
        Process cc = new ProcessBuilder("gcc", "-O2", "-static", "-pthread", "-o", stat.toString(),
                "src/test/resources/act/target.c").redirectErrorStream(true).start();
        cc.getInputStream().readAllBytes();
        assumeTrue(cc.waitFor() == 0, "needs a static libc");
        try (Proc p = new Proc(Map.of(), stat.toString(), "bins")) {
            assertRefused(p.pid, "static");
            p.send("\n");
            assertTrue(p.line().startsWith("done"));
        }
    }

    @Test
    void refusesATracedProcess() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")));
        try (Proc p = start("bins")) {
            Process strace = new ProcessBuilder("strace", "-q", "-o", "/dev/null", "-p", Long.toString(p.pid))
                    .redirectErrorStream(true).start();
            try {
                for (int i = 0; i < 200 && traced(p.pid) == 0; i++) {
                    Thread.sleep(10);
                }
                assertTrue(traced(p.pid) != 0);
                assertRefused(p.pid, "traced");
            } finally {
                strace.destroy();
                strace.waitFor();
            }
            p.send("\n");
            assertTrue(p.line().startsWith("done"));
        }
    }

    static long traced(long pid) throws Exception {
        return Long.parseLong(Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("TracerPid:")).findFirst().orElseThrow().replaceAll("\\D", ""));
    }

    @Test
    void refusesAStoppedProcessAndLeavesItStopped() throws Exception {
        try (Proc p = start("bins")) {
            new ProcessBuilder("kill", "-STOP", Long.toString(p.pid)).start().waitFor();
            for (int i = 0; i < 100 && !state(p.pid).equals("T"); i++) {
                Thread.sleep(10);
            }
            assertRefused(p.pid, "stopped");
            Thread.sleep(100);
            assertEquals("T", state(p.pid), "still stopped");
        }
    }

    @Test
    void refusesAZombie() throws Exception {
        // A child that exits under a parent that sleeps without reaping it: a zombie for 30 s.
        Process parent = new ProcessBuilder("python3", "-c", "import os, sys, time\n"
                + "p = os.fork()\nif p == 0: os._exit(0)\nprint(p, flush=True)\ntime.sleep(30)").start();
        try {
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(
                    parent.getInputStream())).readLine().trim());
            for (int i = 0; i < 200 && !state(pid).equals("Z"); i++) {
                Thread.sleep(10);
            }
            assertEquals("Z", state(pid));
            for (String[] cmd : List.of(new String[] {"trim", Long.toString(pid)},
                    new String[] {"tune", Long.toString(pid), "mmap_threshold=131072"})) {
                CliRunner.Outcome o = CliRunner.run(cmd);
                assertEquals(ExitCodes.REFUSED, o.exitCode(), o.err() + o.out());
                assertEquals(1, o.errLines().length, o.err());
                assertTrue(o.err().startsWith("rsslab: refused (zombie): "), o.err());
                assertEquals("Z", state(pid), "still a zombie, its parent untouched");
            }
            assertTrue(parent.isAlive());
        } finally {
            parent.destroy();
            parent.waitFor();
        }
    }

    /**
     * rsslab killed at random points of a trim (INT, TERM, KILL; before the injector starts, while it waits for a
     * free lock, inside the call): the target always ends up running, untraced, and its blocks intact.
     */
    @Test
    void theTargetLivesOnWhateverKillsRsslab() throws Exception {
        java.util.Random random = new java.util.Random(20261202);
        try (Proc p = start("loop", "2")) {
            for (int i = 0; i < 18; i++) {
                String signal = List.of("INT", "TERM", "KILL").get(i % 3);
                Process rsslab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "trim",
                        Long.toString(p.pid)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                Thread.sleep(200 + random.nextInt(2300));
                new ProcessBuilder("kill", "-" + signal, Long.toString(rsslab.pid())).start().waitFor();
                assertTrue(rsslab.waitFor(30, TimeUnit.SECONDS), "rsslab ended on SIG" + signal);
                // The injector finishes the call it began and lets the target go (at most --wait, 3 s, and the call).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (System.nanoTime() < deadline && (traced(p.pid) != 0 || !List.of("R", "S").contains(
                        state(p.pid)))) {
                    Thread.sleep(50);
                }
                assertEquals(0, traced(p.pid), "untraced after SIG" + signal + " (round " + i + ")");
                assertTrue(List.of("R", "S").contains(state(p.pid)), "running after SIG" + signal + ": " + state(p.pid));
            }
            p.send("\n");
            String said = p.line();
            assertTrue(said != null && said.startsWith("intact after "), said);
        }
    }

    @Test
    void refusesWhileAnArenaLockIsHeld() throws Exception {
        try (Proc p = start("lock")) {
            assertRefused(p.pid, "busy");
            p.send("\n");
            assertEquals("done", p.line());
        }
    }

    @Test
    void refusesASeccompFilterUnlessForced() throws Exception {
        try (Proc p = start("seccomp")) {
            assertRefused(p.pid, "seccomp");
            assertEquals(0, CliRunner.run("trim", Long.toString(p.pid), "--force").exitCode());
            p.send("\n");
            assertEquals("done", p.line());
        }
    }

    /**
     * Four threads in a tight malloc/free loop; 1,000 injected trims in a row:
     * never a deadlock, a crash or a damaged block (each is stamped at both
     * ends and checked before its free).
     */
    @Test
    void aThousandTrimsIntoFourBusyThreads() throws Exception {
        try (Proc p = start("loop", "4")) {
            long main = GlibcHeap.mainArena(Target.open(p.pid), "2.36");
            assertTrue(main != 0, "main_arena found");
            int trimmed = 0;
            int refused = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                // One stop each (--wait 0): the call is made, or refused because a lock was held at that stop.
                List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--call",
                        Long.toString(p.pid), "--wait", "0"));
                cmd.addAll(List.of("--ring", "0x" + Long.toHexString(main) + ":" + GlibcHeap.NEXT_OFFSET));
                cmd.addAll(List.of("malloc_trim", "0"));
                Process c = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String said = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(c.waitFor(30, TimeUnit.SECONDS), "no deadlock");
                if (c.exitValue() == 0) {
                    trimmed++;
                } else {
                    assertEquals(7, c.exitValue(), said);
                    assertTrue(said.startsWith("refused busy: "), said);
                    refused++;
                }
                assertTrue(p.process.isAlive(), "alive after " + (i + 1) + " trims");
            }
            System.out.printf("1000 trims into 4 busy threads: %d made, %d found a lock held, %.1f s%n", trimmed,
                    refused, (System.nanoTime() - t0) / 1e9);
            p.send("\n");
            String end = p.line();
            assertTrue(end != null && end.startsWith("intact after "), end);
        }
    }

    /**
     * tune mmap_threshold=131072 in the article-4 loop after its first round
     * (the probe pauses there): from then on its rounds keep nothing, as the
     * mmap-threshold variant's do from the start; untouched they keep 30-65 MiB.
     */
    @Test
    void tuneStopsARunningArticle4LoopFromKeepingMemory() throws Exception {
        Process probe = new ProcessBuilder(NativeLoader.probe().toString(), "article-4", "--no-explain",
                "--pause-after", "28").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8));
        OutputStream in = probe.getOutputStream();
        try {
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("paused")) {
                // the start and round 28's records
            }
            assertTrue(line != null, "the probe paused");
            long pid = kb(Pattern.compile("pid=(\\d+)"), line);
            CliRunner.Outcome o = CliRunner.run("tune", Long.toString(pid), "mmap_threshold=131072");
            assertEquals(0, o.exitCode(), o.err() + o.out());
            assertTrue(o.out().contains("mmap_threshold=131072: mallopt(-3, 131072) returned 1"), o.out());
            assertTrue(o.out().contains("dynamic mmap threshold is now off"), o.out());
            // Read back from the process's own mp_ (GlibcHeap.live), not just mallopt's 1.
            assertTrue(o.out().contains("read back: mp_.mmap_threshold = 131072 (as asked), the dynamic threshold off"),
                    o.out());
            assertTrue(o.out().contains("Environment=MALLOC_MMAP_THRESHOLD_=131072"), o.out());
            in.write('\n');
            in.flush();
            int rounds = 0;
            while ((line = r.readLine()) != null) {
                Matcher m = Pattern.compile("^round\\s+k=(\\d+)\\s.*rss_after_free_kb=(\\d+)").matcher(line);
                if (m.find() && Integer.parseInt(m.group(1)) > 28) {
                    rounds++;
                    assertTrue(Long.parseLong(m.group(2)) < 8 * 1024, "round kept nothing: " + line);
                }
            }
            assertEquals(4, rounds);
            assertEquals(0, probe.waitFor());
        } finally {
            in.close();
            probe.destroy();
        }
    }

    @Test
    void tuneRefusesBadValuesBeforeTouchingAnything() throws Exception {
        try (Proc p = start("bins")) {
            for (String bad : new String[] {"mmap_threshold=64M", "mmap_threshold=67108864", "nosuch=1",
                    "trim_threshold=4294967296", "arena_max"}) {
                CliRunner.Outcome o = CliRunner.run("tune", Long.toString(p.pid), bad);
                assertEquals(ExitCodes.USAGE, o.exitCode(), bad + ": " + o.err());
                assertEquals(1, o.errLines().length, o.err());
            }
            assertEquals(0, traced(p.pid));
        }
    }
}
