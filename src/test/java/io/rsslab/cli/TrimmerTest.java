package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.results.TrimLog;
import io.rsslab.results.TrimLogColumn;

/**
 * librsslab-trim.so preloaded into real programs (src/test/resources/trim/trimtest.c, keeper.c, python3), and
 * the trim-every-* variants through try. The 10 minutes of four allocating threads at 10 ms intervals is
 * 30 s here (the 10-minute run is reported in the commit that added this test).
 */
class TrimmerTest {

    @TempDir
    static Path dir;
    static Path lib;
    static Path trimtest;
    static Path keeper;
    static Path counter;

    @BeforeAll
    static void build() throws Exception {
        lib = NativeLoader.unpack(NativeLoader.TRIMMER);
        trimtest = dir.resolve("trimtest");
        keeper = dir.resolve("keeper");
        counter = dir.resolve("count_malloc.so");
        cc("-O2", "-pthread", "-o", trimtest.toString(), src("trim/trimtest.c"));
        cc("-O2", "-o", keeper.toString(), src("try/keeper.c"));
        cc("-O2", "-shared", "-fPIC", "-o", counter.toString(), src("trim/count_malloc.c"));
    }

    static String src(String name) {
        return Path.of("src/test/resources", name).toAbsolutePath().toString();
    }

    static void cc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gcc", "-Wall"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
    }

    record Ran(int code, String out, String err) {
    }

    /** The program with the trimmer preloaded (preload: the whole LD_PRELOAD) and env on top. */
    static Ran run(String preload, Map<String, String> env, Path cwd, long timeoutS, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().put("LD_PRELOAD", preload);
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(timeoutS, TimeUnit.SECONDS), "ended within " + timeoutS + " s (no deadlock): "
                + String.join(" ", cmd));
        return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static List<CSVRecord> log(Path file) throws Exception {
        assertTrue(Files.exists(file), "the trimmer wrote its log " + file);
        return Csv.read(file);
    }

    static long fellKb(CSVRecord r) {
        return Long.parseLong(r.get("rss_before_kb")) - Long.parseLong(r.get("rss_after_kb"));
    }

    /**
     * The report's periodic-trim section of a folder: its chart drawn, and the variant's row of its table, the
     * cells in order (variant, ok runs, memory, saved, CPU, CPU added, trims, returned, pause median, largest
     * pause, the trimmer's CPU).
     */
    static List<String> trimRow(Path folder, String chart, String variant) throws Exception {
        String page = Files.readString(folder.resolve("report/report.html"), StandardCharsets.UTF_8);
        int section = page.indexOf("the periodic trimmer against the other remedies");
        assertTrue(section >= 0, "the section is there");
        assertTrue(Files.exists(folder.resolve("report/charts/" + chart + ".svg")), chart);
        int at = page.indexOf("<tr><td>" + variant + "</td><td>", section);
        assertTrue(at >= 0, "a row for " + variant);
        String row = page.substring(at + "<tr><td>".length(), page.indexOf("</td></tr>", at));
        return List.of(row.split("</td><td>", -1));
    }

    static String mib(double kb) {
        return String.format(java.util.Locale.ROOT, "%.1f", kb / 1024);
    }

    @Test
    void linksOnlyLibcAndItsLogIsTheReadersSchema() throws Exception {
        Process p = new ProcessBuilder("readelf", "-d", lib.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, "needs readelf");
        List<String> needed = out.lines().filter(l -> l.contains("(NEEDED)")).toList();
        assertEquals(1, needed.size(), out);
        assertTrue(needed.get(0).contains("[libc.so.6]"), out);
        Path log = dir.resolve("schema.trim.csv");
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "10ms", "RSSLAB_TRIM_LOG", log.toString()), dir, 60,
                trimtest.toString(), "churn", "3", "100");
        assertEquals(0, r.code(), r.err());
        TrimLog t = TrimLog.read(log);
        assertTrue(t.trims() >= 3 && t.pauseMaxUs() >= t.pauseMedianUs(), t.toString());
        assertEquals(TrimLog.SCHEMA.headers(), List.of(Files.readAllLines(log).get(0).split(",")));
        assertEquals(TrimLogColumn.values().length, Csv.read(log).get(0).size());
    }

    @Test
    void churnWithPausesIsTrimmedWithinTheIntervalAndWithoutPausesTrimsAreMeasured() throws Exception {
        Path log = dir.resolve("pauses.trim.csv");
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "1s", "RSSLAB_TRIM_LOG", log.toString()), dir, 120,
                trimtest.toString(), "churn", "3", "2500");
        assertEquals(0, r.code(), r.err());
        // Each round frees 39 of its 40 MiB below a pinned top: only a trim returns it, within the 2.5 s pause.
        long big = log(log).stream().filter(x -> fellKb(x) >= 30 * 1024).count();
        assertTrue(big >= 3, "a trim returned >= 30 MiB after each of the 3 rounds: " + log(log));
        Path busy = dir.resolve("busy.trim.csv");
        r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "10ms", "RSSLAB_TRIM_LOG", busy.toString()), dir, 120,
                trimtest.toString(), "churn", "40", "0");
        assertEquals(0, r.code(), r.err());
        for (CSVRecord x : log(busy)) {
            assertTrue(Long.parseLong(x.get("pause_us")) >= 0 && Long.parseLong(x.get("cpu_us")) >= 0, x.toString());
            assertTrue(Long.parseLong(x.get("rss_before_kb")) > 0, x.toString());
        }
    }

    @Test
    void tryShowsWhatTheTrimSavesAgainstItsCost() throws Exception {
        Path out = dir.resolve("try-keeper");
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "baseline,trim-every-1s", "--quiet", "--out",
                out.toString(), "--", keeper.toString());
        assertEquals(0, o.exitCode(), o.err());
        Map<String, Long> finals = TryTest.finals(out);
        // keeper keeps 60 MiB in the heap's top for 2 s: the trimmer returns it within its second.
        assertTrue(finals.get("baseline") - finals.get("trim-every-1s") >= 50 * 1024, finals.toString());
        for (CSVRecord r : Csv.read(out.resolve("runs.csv"))) {
            boolean trimmed = r.get("variant").equals("trim-every-1s");
            assertEquals(trimmed, !r.get("trims").isEmpty(), r.toString());
            if (trimmed) {
                assertTrue(Long.parseLong(r.get("trim_returned_kb")) >= 50 * 1024, r.toString());
                assertTrue(Double.parseDouble(r.get("trim_cpu_s")) >= 0, r.toString());
                assertTrue(Files.exists(out.resolve(r.get("run_id") + ".trim.csv")), r.toString());
            }
        }
        // The report's section: memory saved against CPU and pause, every figure the runs.csv's.
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        CSVRecord base = runs.stream().filter(r -> r.get("variant").equals("baseline")).findFirst().orElseThrow();
        CSVRecord trim = runs.stream().filter(r -> r.get("variant").equals("trim-every-1s")).findFirst().orElseThrow();
        List<String> cells = trimRow(out, "try-trim-cost", "trim-every-1s");
        assertEquals(mib(Long.parseLong(trim.get("mean_rss_kb"))), cells.get(2), cells.toString());
        assertEquals(mib(Long.parseLong(base.get("mean_rss_kb")) - Long.parseLong(trim.get("mean_rss_kb"))),
                cells.get(3), cells.toString());
        assertEquals(trim.get("trims"), cells.get(6), cells.toString());
        assertEquals(mib(Long.parseLong(trim.get("trim_returned_kb"))), cells.get(7), cells.toString());
        assertTrue(o.out().contains("trim-every-1s: ") && o.out().contains("trim(s) returned")
                && o.out().contains("against baseline"), o.out());
    }

    @Test
    void replayOfATraceWithPausesHasTheTrimColumns() throws Exception {
        Path trace = dir.resolve("churn.trace");
        CliRunner.Outcome o = CliRunner.run("record", "--out", trace.toString(), "--", trimtest.toString(), "churn",
                "3", "1500");
        assertEquals(0, o.exitCode(), o.err());
        Path out = dir.resolve("replay-trim");
        // The program's own pauses slept (--timing recorded): the trimmer's thread then has time to trim.
        o = CliRunner.run("replay", trace.toString(), "--variant", "baseline,trim-every-1s", "--timing", "recorded",
                "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        for (CSVRecord r : Csv.read(out.resolve("runs.csv"))) {
            boolean trimmed = r.get("variant").equals("trim-every-1s");
            assertEquals(trimmed, !r.get("trims").isEmpty(), r.toString());
            if (trimmed) {
                // Each round frees 39 of its 40 MiB below a pinned top, and pauses 1.5 s: a trim returns it.
                assertTrue(Integer.parseInt(r.get("trims")) >= 1, r.toString());
                assertTrue(Long.parseLong(r.get("trim_returned_kb")) >= 30 * 1024, r.toString());
                assertTrue(Long.parseLong(r.get("trim_pause_max_us")) >= Long.parseLong(r.get("trim_pause_median_us")));
                assertEquals(TrimLog.read(out.resolve(r.get("run_id") + ".trim.csv")).trims(),
                        Integer.parseInt(r.get("trims")), "the columns are its log's");
            }
        }
        CSVRecord trim = Csv.read(out.resolve("runs.csv")).stream().filter(r -> r.get("variant").equals("trim-every-1s"))
                .findFirst().orElseThrow();
        List<String> cells = trimRow(out, "replay-trim-cost", "trim-every-1s");
        assertEquals(mib(Long.parseLong(trim.get("before_exit_rss_kb"))), cells.get(2), cells.toString());
        assertEquals(trim.get("trims"), cells.get(6), cells.toString());
    }

    @Test
    void aMatrixReportPutsTheTrimmerBesideTheThresholdSetting() throws Exception {
        Path out = dir.resolve("matrix-trim");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant",
                "baseline,trim-every-1s,mmap-threshold", "--host", "native", "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        CSVRecord trim = runs.stream().filter(r -> r.get("variant").equals("trim-every-1s")).findFirst().orElseThrow();
        List<String> cells = trimRow(out, "f1-article-4-native-trimcost", "trim-every-1s");
        assertEquals(mib(Long.parseLong(trim.get("steady_retained_kb"))), cells.get(2), cells.toString());
        assertEquals(trim.get("trims"), cells.get(6), cells.toString());
        List<String> threshold = trimRow(out, "f1-article-4-native-trimcost", "mmap-threshold");
        assertEquals("", threshold.get(6), "no trimmer, no trims: " + threshold);
        assertFalse(threshold.get(3).isEmpty(), "what the threshold saved, beside it: " + threshold);
    }

    @Test
    void python3UnderTry() throws Exception {
        Path out = dir.resolve("try-python");
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "trim-every-1s", "--quiet", "--out", out.toString(),
                "--", "python3", src("try/keeper.py"));
        assertEquals(0, o.exitCode(), o.err());
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals("ok", r.get("status"), r.toString());
        assertTrue(Integer.parseInt(r.get("trims")) >= 1, r.toString());
        assertTrue(Long.parseLong(r.get("trim_returned_kb")) >= 30 * 1024, "python's freed 60 MiB: " + r);
    }

    @Test
    void everyForkedChildGetsItsOwnTrimmer() throws Exception {
        Path log = dir.resolve("forks.trim.csv");
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "200ms", "RSSLAB_TRIM_LOG", log.toString()), dir,
                120, trimtest.toString(), "forks", "100");
        assertEquals(0, r.code(), r.err());
        long pids = log(log).stream().map(x -> x.get("pid")).distinct().count();
        assertTrue(pids >= 100, "the parent and its 100 children, each with its trimmer (1 s lives, 200 ms): " + pids);
    }

    @Test
    void aDaemonThatClosesEveryDescriptorIsTrimmedAndItsFilesAreItsOwn() throws Exception {
        Path cwd = Files.createDirectory(dir.resolve("daemon"));
        Path data = Files.createFile(cwd.resolve("data.txt"));
        // A relative log path: the daemon's chdir("/") must not move it.
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "100ms", "RSSLAB_TRIM_LOG", "d.trim.csv"), cwd, 30,
                trimtest.toString(), "daemon", data.toString());
        assertEquals(0, r.code(), r.err());
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(data).contains("done") && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        List<String> lines = Files.readAllLines(data);
        assertEquals("done", lines.get(lines.size() - 1), "the daemon ended: " + lines);
        String pid = lines.get(0).split(" ")[1];
        for (String l : lines.subList(0, lines.size() - 1)) {
            assertTrue(l.matches("daemon " + pid + " round [0-3]"), "only the daemon's own lines: " + lines);
        }
        assertTrue(log(cwd.resolve("d.trim.csv")).stream().anyMatch(x -> x.get("pid").equals(pid)),
                "the daemon's trims are in the log");
    }

    @Test
    void anotherAllocatorLoadedFirstLeavesItIdleAndSaysSoOnce() throws Exception {
        Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        assumeTrue(Files.exists(jemalloc), "needs libjemalloc2");
        Path log = dir.resolve("jemalloc.trim.csv");
        Ran r = run(jemalloc + ":" + lib, Map.of("RSSLAB_TRIM_INTERVAL", "10ms", "RSSLAB_TRIM_LOG", log.toString()),
                dir, 60, trimtest.toString(), "churn", "3", "100");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("librsslab-trim.so: malloc is not glibc's here (another allocator is loaded first): "
                + "not trimming"), r.err().lines().toList());
        assertFalse(Files.exists(log), "no trim, no log");
    }

    /**
     * A non-PIE executable that takes malloc's address (Debian's node): &malloc is the executable's canonical PLT
     * entry, not glibc's function, and the trimmer still knows glibc's malloc is the one called (it said "not
     * glibc's" and never trimmed node before).
     */
    @Test
    void aNonPieProgramTakingMallocsAddressIsTrimmed() throws Exception {
        Path nopie = dir.resolve("nopie");
        cc("-O2", "-no-pie", "-fno-pie", "-o", nopie.toString(), src("trim/nopie.c"));
        Path log = dir.resolve("nopie.trim.csv");
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "100ms", "RSSLAB_TRIM_LOG", log.toString()), dir,
                60, nopie.toString(), "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no word of another allocator");
        long fell = log(log).stream().mapToLong(TrimmerTest::fellKb).max().orElse(0);
        assertTrue(fell > 10 * 1024, "a trim returned the freed pages: " + fell + " kB");
        Path jemalloc = Path.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        if (Files.exists(jemalloc)) {
            Ran j = run(jemalloc + ":" + lib, Map.of("RSSLAB_TRIM_INTERVAL", "100ms"), dir, 60, nopie.toString(), "0");
            assertTrue(j.err().contains("malloc is not glibc's here"), "jemalloc first is still seen: " + j.err());
        }
    }

    @Test
    void aStaticBinaryRunsWithoutItAndTrySaysSo() throws Exception {
        Path stat = dir.resolve("trimtest-static");
        cc("-O2", "-static", "-pthread", "-o", stat.toString(), src("trim/trimtest.c"));
        Path out = dir.resolve("try-static");
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "trim-every-1s", "--quiet", "--out", out.toString(),
                "--", stat.toString(), "churn", "2", "500");
        assertEquals(1, o.exitCode(), o.out() + o.err());
        assertTrue(o.err().contains("without its preload"), o.err());
    }

    @Test
    void itsThreadNeverCallsMalloc() throws Exception {
        Path counts = dir.resolve("counts.txt");
        Path log = dir.resolve("count.trim.csv");
        // The counting preload wraps glibc's malloc, so the trimmer is told that glibc's heap is the one in use.
        Ran r = run(lib + ":" + counter, Map.of("RSSLAB_TRIM_INTERVAL", "10ms", "RSSLAB_TRIM_LOG", log.toString(),
                "RSSLAB_TRIM_ALLOCATOR", "glibc", "COUNT_MALLOC_FILE", counts.toString()), dir, 60,
                trimtest.toString(), "churn", "10", "100");
        assertEquals(0, r.code(), r.err());
        String[] c = Files.readString(counts).trim().split(" ");
        assertTrue(Long.parseLong(c[0]) > 1000, "the counter saw the program's calls: " + c[0]);
        assertTrue(log(log).size() >= 20, "the trimmer ran: " + log(log).size() + " trims");
        assertEquals("0", c[1], "malloc-family calls from the thread rsslab-trim");
    }

    @Test
    void fourAllocatingThreadsAtTenMillisecondsDoNotDeadlock() throws Exception {
        Path log = dir.resolve("threads.trim.csv");
        // No back-off: a trim every 10 ms whatever it returns, into arenas whose locks the threads hold all the time.
        Ran r = run(lib.toString(), Map.of("RSSLAB_TRIM_INTERVAL", "10ms", "RSSLAB_TRIM_MAX_BACKOFF", "1",
                "RSSLAB_TRIM_LOG", log.toString()), dir, 120, trimtest.toString(), "threads", "30");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("done "), r.out());
        // At least one trim a second on a machine this loaded (a load average of 37 on 2 cores was seen).
        assertTrue(log(log).size() >= 30, "trims over 30 s at 10 ms: " + log(log).size());
    }

    @Test
    void badPolicyValuesAreIgnoredWithOneLineAndTheProgramRuns() throws Exception {
        for (String[] bad : List.of(new String[] {"RSSLAB_TRIM_INTERVAL", "0"}, new String[] {"RSSLAB_TRIM_INTERVAL", "10x"},
                new String[] {"RSSLAB_TRIM_INTERVAL", "25h"}, new String[] {"RSSLAB_TRIM_INTERVAL", "-1s"},
                new String[] {"RSSLAB_TRIM_INTERVAL", "99999999999999999999"}, new String[] {"RSSLAB_TRIM_MIN", "4Q"},
                new String[] {"RSSLAB_TRIM_MAX_BACKOFF", "0"}, new String[] {"RSSLAB_TRIM_ALLOCATOR", "jemalloc"},
                new String[] {"RSSLAB_TRIM_LOG", "/nonexistent/dir/x.csv"})) {
            Map<String, String> env = new java.util.HashMap<>(Map.of("RSSLAB_TRIM_INTERVAL", "10ms"));
            env.put(bad[0], bad[1]);
            Ran r = run(lib.toString(), env, dir, 60, trimtest.toString(), "churn", "2", "50");
            assertEquals(0, r.code(), bad[0] + "=" + bad[1] + ": " + r.err());
            List<String> err = r.err().lines().toList();
            assertEquals(1, err.size(), bad[0] + "=" + bad[1] + ": " + r.err());
            assertTrue(err.get(0).startsWith("librsslab-trim.so: " + bad[0] + "=" + bad[1] + " "), err.get(0));
        }
        // rsslab's side: a variant with a bad value is refused before any child starts.
        CliRunner.Outcome o = CliRunner.run("try", "--variant", "trim-every-1s", "--env", "RSSLAB_TRIM_MIN=4Q",
                "--out", dir.resolve("refused").toString(), "--", keeper.toString());
        assertEquals(2, o.exitCode(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("RSSLAB_TRIM_MIN=4Q"), o.err());
        assertFalse(Files.exists(dir.resolve("refused")));
    }

    @Test
    void trimmerCommandSaysWhereTheLibraryIs() throws Exception {
        CliRunner.Outcome o = CliRunner.run("trimmer", "--path");
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(lib.toString(), o.out().trim());
        o = CliRunner.run("trimmer");
        assertTrue(o.out().startsWith(lib + "\n") && o.out().contains("Environment=LD_PRELOAD=")
                && o.out().contains("install -m 0644 " + lib), o.out());
    }
}
