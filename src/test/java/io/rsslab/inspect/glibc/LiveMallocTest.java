package io.rsslab.inspect.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
