package io.rsslab.inspect.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.rsslab.inspect.ArenaLedger;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;
import io.rsslab.malloc.MmapThreshold;

/**
 * main_arena, the arenas and mp_ found without symbols (GlibcHeap.live)
 * against the ground truth of libc6-dbg: the symbols' addresses in the debug
 * file matching the target libc's build ID (nm), and mp_'s fields as gdb
 * prints them through those symbols, on every pattern of the inspect tests.
 */
class LiveMallocTest {

    @TempDir
    static Path dir;
    static Path holder;

    @BeforeAll
    static void build() throws Exception {
        holder = dir.resolve("holder");
        Process p = new ProcessBuilder("gcc", "-Wall", "-O2", "-pthread", "-o", holder.toString(),
                Path.of("src/test/resources/inspect/holder.c").toAbsolutePath().toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
    }

    /** The last holder's ready line. */
    static String ready;

    /** A holder process: it prints "ready PID" and waits for the end of its input. */
    static Process hold(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(holder.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        assertTrue(ready != null && ready.startsWith("ready "), "the holder started: " + ready);
        LiveMallocTest.ready = ready;
        return p;
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    /** libc's path in the process, its load address and the debug file's symbol offsets (null: no libc6-dbg). */
    record Symbols(long base, long mp, long mainArena) {
        static Symbols of(long pid) throws Exception {
            String libc = null;
            long base = 0;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
                if (line.endsWith("/libc.so.6") && libc == null) {
                    libc = line.substring(line.lastIndexOf(' ') + 1);
                    base = Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
                }
            }
            Matcher id = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(run("readelf", "-n", libc));
            assumeTrue(id.find(), "libc has a build ID");
            Path debug = Path.of("/usr/lib/debug/.build-id/" + id.group(1).substring(0, 2) + "/"
                    + id.group(1).substring(2) + ".debug");
            assumeTrue(Files.exists(debug), "libc6-dbg's debug file " + debug);
            Map<String, Long> sym = new HashMap<>();
            for (String line : run("nm", debug.toString()).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    sym.put(f[2], Long.parseUnsignedLong(f[0], 16));
                }
            }
            return new Symbols(base, base + sym.get("mp_"), base + sym.get("main_arena"));
        }
    }

    /** mp_'s fields as gdb prints them with libc6-dbg's symbols (it stops the process for a moment). */
    static Map<String, Long> gdbMp(long pid) throws Exception {
        String out = run("gdb", "-p", Long.toString(pid), "-batch", "-ex", "p/d mp_");
        Map<String, Long> f = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+) = (-?\\d+)").matcher(out.substring(out.indexOf("$1 = {")));
        while (m.find()) {
            f.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertTrue(f.containsKey("mmap_threshold"), out);
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"article4", "bins", "threads", "smallbins", "fastbins", "threadtops", "spill", "sbrk"})
    void theMainArenaAndMpAreWhereTheDebugSymbolsSay(String pattern) throws Exception {
        Process p = hold(Map.of(), pattern);
        try {
            LiveMalloc live = GlibcHeap.live(p.pid());
            Symbols s = Symbols.of(p.pid());
            assertEquals(s.base(), live.libcBase());
            assertEquals(s.mainArena(), live.mainArena(), "main_arena: " + live);
            assertEquals(s.mainArena(), live.arenas().get(0));
            assertNotNull(live.params(), "mp_: " + live);
            assertEquals(s.mp(), live.params().address(), "mp_");
            Map<String, Long> g = gdbMp(p.pid());
            MallocParams m = live.params();
            assertEquals(g.get("mmap_threshold"), m.mmapThreshold());
            assertEquals(g.get("trim_threshold"), m.trimThreshold());
            assertEquals(g.get("top_pad"), m.topPad());
            assertEquals(g.get("no_dyn_threshold") == 1, m.noDynThreshold());
            assertEquals(g.get("n_mmaps"), (long) m.nMmaps());
            assertEquals(g.get("n_mmaps_max"), (long) m.nMmapsMax());
            assertEquals(g.get("mmapped_mem"), m.mmappedMem());
            assertEquals(g.get("max_mmapped_mem"), m.maxMmappedMem());
            assertEquals(g.get("arena_max"), m.arenaMax());
            assertEquals(g.get("arena_test"), m.arenaTest());
            long arenas = Long.parseLong(run("gdb", "-p", Long.toString(p.pid()), "-batch", "-ex", "p/d narenas")
                    .replaceAll("(?s).*\\$1 = (\\d+).*", "$1"));
            assertEquals(arenas, live.arenas().size(), "glibc's narenas");
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    /** One live chunk of 48 bytes above 60 MiB freed: it is the pin, at the address the program names. */
    @Test
    void theLiveChunkAboveALargeFreeRunIsThePin() throws Exception {
        Process p = hold(Map.of(), "pin");
        try {
            long address = Long.parseUnsignedLong(ready.split(" ")[2].substring(2), 16);
            Ledger l = Inspector.inspect(p.pid(), false);
            List<Ledger.Pin> pins = l.heaps().orElseThrow().pins();
            assertFalse(pins.isEmpty(), l.toString());
            Ledger.Pin pin = pins.get(0);
            assertEquals("main", pin.arena());
            assertEquals(address, pin.address(), "the pin is the live chunk");
            assertEquals(48, pin.size());
            assertEquals(1, pin.chunks());
            assertEquals(60 * 1024, pin.holdsFreeKb(), 8, "60 MiB free and resident below it");
            ArenaLedger main = l.arenas().get(0);
            assertEquals(60 * 1024, main.unsortedKb() + main.largeBinsKb(), 8, "the 60 MiB run is one free chunk: "
                    + main);
        } finally {
            p.getOutputStream().close();
            p.waitFor();
        }
    }

    static final Path PROBE = Path.of("target/classes/native/linux-x86_64/rsslab-probe");

    /**
     * The article-4 loop in the probe, paused after round k's frees
     * (--pause-after k): the live mmap_threshold is what the probe's own
     * inference (MmapThreshold, from each round's freed_mmapped_max) says after
     * round k, for k = 28, 29, 30; with MALLOC_MMAP_THRESHOLD_=131072 it stays
     * 131072 with no_dyn_threshold 1, and the environment's setting agrees.
     */
    @Test
    void theLiveThresholdIsTheProbesInferenceRoundForRound() throws Exception {
        assumeTrue(Files.isExecutable(PROBE), "the probe is built: " + PROBE);
        for (int k = 28; k <= 30; k++) {
            long[] seen = article4(k, Map.of());
            assertEquals(seen[1], seen[0] / 1024, "round " + k + ": live " + seen[0] + " bytes, inferred "
                    + seen[1] + " KiB");
            assertEquals(0, seen[2], "the dynamic threshold is on");
        }
        long[] fixed = article4(29, Map.of("MALLOC_MMAP_THRESHOLD_", "131072"));
        assertEquals(131072, fixed[0]);
        assertEquals(1, fixed[2], "no_dyn_threshold");
        assertEquals(List.of("agrees"), List.of(fixedVerdict));
    }

    static String fixedVerdict;

    /** Runs article-4 to round k, paused there: mp_.mmap_threshold, the inference after round k (KiB), no_dyn. */
    static long[] article4(int k, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(PROBE.toAbsolutePath().toString(), "article-4", "--pause-after",
                Integer.toString(k), "--max-rounds", Integer.toString(k - 27)).redirectError(
                        ProcessBuilder.Redirect.INHERIT);
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long live = -1;
        int noDyn = -1;
        MmapThreshold inferred = env.isEmpty() ? MmapThreshold.dynamicFromDefault() : MmapThreshold.fixed(128);
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("paused\t")) {
                    Ledger l = Inspector.inspect(p.pid(), false);
                    live = l.settings().mmapThreshold();
                    noDyn = l.settings().noDynThreshold();
                    fixedVerdict = l.context().requested().isEmpty() ? null : l.context().requested().get(0).verdict();
                    p.getOutputStream().write('\n');
                    p.getOutputStream().flush();
                } else if (line.startsWith("round\t")) {
                    Matcher m = Pattern.compile("\tfreed_mmapped_max=(\\d+)").matcher(line);
                    inferred.roundFreed(m.find() ? Long.parseLong(m.group(1)) : 0);
                }
            }
        } finally {
            p.destroy();
            p.waitFor();
        }
        assertTrue(live > 0, "the probe paused after round " + k);
        return new long[] {live, inferred.currentKb(), noDyn};
    }
}
