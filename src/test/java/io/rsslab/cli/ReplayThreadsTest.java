package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.nativelib.NativeLoader;

/**
 * Issue 23: a replay answers like the program. Four threads freeing each
 * other's blocks (crossfree.c) replay with their threads to the same live
 * bytes and mmapped counters as on one thread, in at most 3 times its time,
 * in as many arenas as the program had; a program that frees and then
 * allocates slowly (decay.c) keeps under jemalloc with its recorded timing
 * what it kept itself, and far more back to back; try and replay of
 * crossfree say the same "before exit" within 15%; replay ranks the variants
 * of staggered.c as try does.
 */
class ReplayThreadsTest {

    /** sizeof(heap_info) + sizeof(struct malloc_state) in glibc 2.36, counted in use in each thread arena. */
    static final long ARENA_HEADER = 2304;
    /** What one thread's tcache can hold: 7 chunks in each of its 64 bins of 32 to 1040 bytes (malloc.c). */
    static final long TCACHE_MAX = 7L * (64 * 32 + 16 * (63 * 64 / 2));
    static final String JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";

    @TempDir
    static Path dir;
    static Path crossfree;
    static Path decay;
    static Path crossTrace;
    static Path staggered;

    @BeforeAll
    static void build() throws Exception {
        crossfree = dir.resolve("crossfree");
        decay = dir.resolve("decay");
        staggered = dir.resolve("staggered");
        for (String[] cc : List.of(
                new String[] {"gcc", "-Wall", "-O2", "-pthread", "-o", staggered.toString(),
                        Path.of("src/test/resources/replay/staggered.c").toAbsolutePath().toString()},
                new String[] {"gcc", "-Wall", "-O2", "-pthread", "-o", crossfree.toString(),
                        Path.of("src/test/resources/replay/crossfree.c").toAbsolutePath().toString()},
                new String[] {"gcc", "-Wall", "-O2", "-o", decay.toString(),
                        Path.of("src/test/resources/replay/decay.c").toAbsolutePath().toString()})) {
            Process p = new ProcessBuilder(cc).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
        }
        crossTrace = dir.resolve("crossfree.trace");
        CliRunner.Outcome o = CliRunner.run("record", "--out", crossTrace.toString(), "--", crossfree.toString());
        assertEquals(0, o.exitCode(), o.err());
    }

    /** The probe's replay of trace; its lines by kind (the last of each), the at_exit sample as "at_exit". */
    static Map<String, Map<String, String>> replay(Path trace, String... options) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(NativeLoader.probe().toString(), "--replay",
                trace.toString(), "--sample-every", "100000000"));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The dynamic mmap threshold off: which blocks are mmapped depends on their sizes only.
        pb.environment().put("MALLOC_MMAP_THRESHOLD_", "262144");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        Map<String, Map<String, String>> lines = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            Map<String, String> kv = new HashMap<>();
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                kv.put(f[i].substring(0, eq), f[i].substring(eq + 1));
            }
            lines.put(f[0].equals("sample") ? kv.get("moment") : f[0], kv);
        }
        assertNotNull(lines.get("at_exit"), out);
        return lines;
    }

    static long n(Map<String, Map<String, String>> r, String line, String key) {
        return Long.parseLong(r.get(line).get(key));
    }

    @Test
    void fourThreadsFreeingEachOthersBlocksReplayWithTheirThreads() throws Exception {
        long oneUs = Long.MAX_VALUE;
        long threadsUs = Long.MAX_VALUE;
        Map<String, Map<String, String>> one = null;
        Map<String, Map<String, String>> threads = null;
        Map<String, Map<String, String>> again = null;
        // Alternating, the fastest of three each: the machine is shared.
        for (int i = 0; i < 3; i++) {
            one = replay(crossTrace, "--threads", "1");
            oneUs = Math.min(oneUs, n(one, "at_exit", "wall_us"));
            again = threads;
            threads = replay(crossTrace);
            threadsUs = Math.min(threadsUs, n(threads, "at_exit", "wall_us"));
        }
        for (String k : List.of("live_bytes", "live_blocks")) {
            assertEquals(n(one, "at_exit", k), n(threads, "at_exit", k), k + ": one thread " + one.get("at_exit")
                    + ", threads " + threads.get("at_exit"));
            assertEquals(n(again, "at_exit", k), n(threads, "at_exit", k), k + ": two replays with threads");
        }
        assertTrue(n(threads, "at_exit", "live_bytes") > 0, "blocks still live at the end");
        // mallinfo2's bytes in use, in the heaps and mmapped (uordblks + hblkhd): the same chunks, but for
        // each thread arena's header, what a tcache still holds (the ended threads' went back; the main
        // thread's stays in both replays) and the page rounding of an mmapped chunk. Which large blocks are
        // mmapped (hblks) depends on what the serving arena has free (malloc.c, _int_malloc: the bins and
        // the top before sysmalloc mmaps), so it is not compared alone.
        long arenas = n(threads, "arenas", "replay");
        long mmappedDiff = Math.abs(n(one, "at_exit", "mi_hblks") - n(threads, "at_exit", "mi_hblks"));
        long diff = Math.abs(n(one, "at_exit", "mi_uordblks") + n(one, "at_exit", "mi_hblkhd")
                - n(threads, "at_exit", "mi_uordblks") - n(threads, "at_exit", "mi_hblkhd"));
        assertTrue(diff <= arenas * ARENA_HEADER + 2 * TCACHE_MAX + mmappedDiff * 4096,
                "bytes in use differ by " + diff + ": one thread " + one.get("at_exit") + ", threads "
                        + threads.get("at_exit"));
        assertTrue(threadsUs <= 3 * oneUs, "threads " + threadsUs + " us, one thread " + oneUs + " us");
        assertEquals(5, n(threads, "arenas", "program"), "the main thread's and four thread arenas");
        assertEquals(n(threads, "arenas", "program"), arenas, threads.get("arenas").toString());
        assertEquals(0, n(threads, "arenas", "threads_differ"), threads.get("arenas").toString());
        assertEquals(1, n(one, "arenas", "replay"), "on one thread, one arena");
        assertEquals(4, n(one, "arenas", "threads_differ"), "and the four threads' arenas differ");
    }

    static Map<String, CSVRecord> runs(Path folder) throws Exception {
        Map<String, CSVRecord> m = new HashMap<>();
        Csv.read(folder.resolve("runs.csv")).forEach(r -> m.put(r.get("variant"), r));
        return m;
    }

    @Test
    void underJemallocOnlyTheRecordedTimingReturnsMemoryAsTheProgramDid() throws Exception {
        assumeTrue(Files.exists(Path.of(JEMALLOC)), "needs Debian's libjemalloc2");
        Path trace = dir.resolve("decay.trace");
        assertEquals(0, CliRunner.run("record", "--out", trace.toString(), "--", decay.toString()).exitCode());
        String[] je = {"--preload", JEMALLOC, "--env", "MALLOC_CONF=dirty_decay_ms:4000", "--label", "je"};
        Path tried = dir.resolve("decay-try");
        CliRunner.Outcome t = CliRunner.run(cat(new String[] {"try", "--quiet", "--out", tried.toString()}, je,
                new String[] {"--", decay.toString()}));
        assertEquals(0, t.exitCode(), t.err());
        long program = Long.parseLong(runs(tried).get("je").get("before_exit_rss_kb"));
        Map<String, Long> kept = new HashMap<>();
        for (String timing : List.of("recorded", "back-to-back")) {
            Path out = dir.resolve("decay-" + timing);
            CliRunner.Outcome o = CliRunner.run(cat(new String[] {"replay", "--quiet", "--timing", timing, "--out",
                out.toString()}, je, new String[] {trace.toString()}));
            assertEquals(0, o.exitCode(), o.err());
            assertTrue(o.out().contains("timing: je " + timing), o.out());
            CSVRecord r = runs(out).get("je");
            assertEquals(timing, r.get("timing"));
            kept.put(timing, Long.parseLong(r.get("before_exit_rss_kb")));
        }
        // The program ends near 11 MiB and its replay with its timing near 19: jemalloc purges dirty pages along a
        // smooth step over the decay time, all of them by its end, and the program runs 2 s past it. Back to back
        // the replay takes about 1 s on a quiet machine (132-188 MiB of the 190 freed still kept, 3 runs here with
        // a decay of 2 s; 82 MiB once in CI, where it was slower): a decay of 4 s keeps it far from the end of the step.
        assertTrue(kept.get("recorded") <= program + 16 * 1024, "with its timing " + kept + ", the program " + program);
        assertTrue(kept.get("back-to-back") >= kept.get("recorded") + 64 * 1024, "back to back " + kept);
        assertTrue(kept.get("back-to-back") >= program + 64 * 1024, "back to back " + kept + ", the program " + program);
    }

    @Test
    void tryAndReplaySayTheSameBeforeExit() throws Exception {
        Path tried = dir.resolve("cross-try");
        // The program's own "before exit" varies from run to run (115-145 MiB over five runs here: the threads'
        // interleaving decides which arena reuses what), so the replay is held to that spread, widened by 15%.
        CliRunner.Outcome t = CliRunner.run("try", "--quiet", "--repeat", "3", "--out", tried.toString(), "--",
                crossfree.toString());
        assertEquals(0, t.exitCode(), t.err());
        List<CSVRecord> tries = Csv.read(tried.resolve("runs.csv"));
        CSVRecord tr = tries.get(0);
        Path replayed = dir.resolve("cross-replay");
        CliRunner.Outcome o = CliRunner.run("replay", "--quiet", "--out", replayed.toString(), crossTrace.toString());
        assertEquals(0, o.exitCode(), o.err());
        CSVRecord rr = runs(replayed).get("baseline");
        long low = tries.stream().mapToLong(r -> Long.parseLong(r.get("before_exit_rss_kb"))).min().orElseThrow();
        long high = tries.stream().mapToLong(r -> Long.parseLong(r.get("before_exit_rss_kb"))).max().orElseThrow();
        long replay = Long.parseLong(rr.get("before_exit_rss_kb"));
        // The documented tolerance (README, "before exit").
        assertTrue(replay >= 0.85 * low && replay <= 1.15 * high, "try " + low + "-" + high + " kB, replay " + replay
                + " kB");
        assertTrue(Long.parseLong(tr.get("at_exit_rss_kb")) > 0, tr.toString());
        assertTrue(Long.parseLong(rr.get("before_exit_retained_kb")) <= replay, "kept within what it holds");
        assertTrue(o.out().contains("arenas: the program's threads used 5, the replay's 5"), o.out());
    }

    /**
     * Eight threads in turn (staggered.c): try and replay under baseline, arena-max-2 and jemalloc. Every pair of
     * variants the program itself decides (its runs' ranges apart, by 10% and 1 MiB) is in the same order in the
     * replay, and each replay's "before exit" above its own start lies near the program's. Here: the program
     * 29.8 / 11.2 / 19.4 MiB, the replay 34.2 / 15.5 / 22.6 (its start 1.7, 1.7, 3.9 MiB); before the workers that
     * ended were joined at a measurement, jemalloc's replay said 32.3 (its threads' caches not yet flushed).
     */
    @Test
    void replayRanksTheVariantsAsTryDoes() throws Exception {
        List<String> variants = new java.util.ArrayList<>(List.of("baseline", "arena-max-2"));
        if (Files.exists(Path.of(JEMALLOC)))
            variants.add("jemalloc");
        String v = String.join(",", variants);
        Path tried = dir.resolve("stag-try");
        CliRunner.Outcome t = CliRunner.run("try", "--quiet", "--repeat", "2", "--variant", v, "--out",
                tried.toString(), "--", staggered.toString());
        assertEquals(0, t.exitCode(), t.err());
        Path trace = dir.resolve("staggered.trace");
        assertEquals(0, CliRunner.run("record", "--out", trace.toString(), "--", staggered.toString()).exitCode());
        Path replayed = dir.resolve("stag-replay");
        CliRunner.Outcome o = CliRunner.run("replay", "--quiet", "--variant", v, "--out", replayed.toString(),
                trace.toString());
        assertEquals(0, o.exitCode(), o.err());
        Map<String, long[]> program = new HashMap<>();
        for (CSVRecord r : Csv.read(tried.resolve("runs.csv"))) {
            long kb = Long.parseLong(r.get("before_exit_rss_kb"));
            program.merge(r.get("variant"), new long[] {kb, kb},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
        Map<String, CSVRecord> replay = runs(replayed);
        int decided = 0;
        for (String a : variants) {
            for (String b : variants) {
                long[] pa = program.get(a), pb = program.get(b);
                if (pa[1] < pb[0] && pb[0] - pa[1] >= Math.max(pb[0] / 10, 1024)) {
                    decided++;
                    long ra = Long.parseLong(replay.get(a).get("before_exit_rss_kb"));
                    long rb = Long.parseLong(replay.get(b).get("before_exit_rss_kb"));
                    assertTrue(ra < rb, "the program keeps less under " + a + " (" + pa[1] + " kB) than under " + b
                            + " (" + pb[0] + " kB); the replay " + ra + " and " + rb + " kB");
                }
            }
        }
        // arena-max-2 below baseline, and jemalloc between them, is the program's structure: decided every run.
        assertTrue(decided >= variants.size() - 1, "pairs decided by the program: " + decided + ", " + program);
        for (String a : variants) {
            CSVRecord r = replay.get(a);
            long held = Long.parseLong(r.get("before_exit_rss_kb")) - Long.parseLong(r.get("base_rss_kb"));
            long mid = (program.get(a)[0] + program.get(a)[1]) / 2;
            assertTrue(Math.abs(held - mid) <= Math.max(mid / 4, 4096), a + ": the replay holds " + held
                    + " kB above its start before exit, the program " + mid + " kB");
        }
    }

    static String[] cat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
