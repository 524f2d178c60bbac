package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import io.rsslab.data.CsvRow;
import io.rsslab.results.WatchColumn;
import io.rsslab.results.WatchFolder;

/**
 * rsslab watch on real holders (src/test/resources/inspect): a real Prometheus server scrapes it and
 * sees what inspect says, and the fall after a trim; processes picked up, dropped and unreadable
 * while rsslab runs unprivileged; SIGTERM leaves a complete folder; bad input is one line and exit 2.
 * watch runs as a child JVM here, as it runs in production: signals go to it alone.
 */
class WatchTest {

    static final String NOBODY = "65534";

    @TempDir
    static Path dir;
    /** The holder binary, under a name no other process's command line has (--match finds it). */
    static Path holder;
    static String token;

    @BeforeAll
    static void buildHolder() throws Exception {
        token = "watchholder" + ProcessHandle.current().pid();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        holder = dir.resolve(token);
        Process p = new ProcessBuilder("gcc", "-Wall", "-O2", "-pthread", "-o", holder.toString(),
                Path.of("src/test/resources/inspect/holder.c").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
    }

    static InspectTest.Held hold(String pattern, boolean asNobody) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        cmd.addAll(List.of(holder.toString(), pattern));
        return new InspectTest.Held(cmd, Map.of());
    }

    /** rsslab watch in its own JVM (as nobody: with a copy of the classpath nobody may read). */
    static Process watch(Path log, boolean asNobody, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        String cp = System.getProperty("java.class.path");
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            cp = readableCopy(cp);
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:+UseSerialGC", "-cp", cp, "io.rsslab.cli.Main", "watch"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String readableCopy(String classpath) throws IOException, InterruptedException {
        Path cpDir = dir.resolve("classpath");
        if (!Files.exists(cpDir)) {
            Files.createDirectories(cpDir);
            List<String> parts = new ArrayList<>();
            int i = 0;
            for (String e : classpath.split(File.pathSeparator)) {
                Path from = Path.of(e);
                if (!Files.exists(from) || e.contains("junit") || e.contains("opentest4j") || e.contains("apiguardian")) {
                    continue;
                }
                Path to = cpDir.resolve(i++ + "-" + from.getFileName());
                if (Files.isDirectory(from)) {
                    new ProcessBuilder("cp", "-r", from.toString(), to.toString()).inheritIO().start().waitFor();
                } else {
                    Files.copy(from, to);
                }
                parts.add(to.toString());
            }
            new ProcessBuilder("chmod", "-R", "a+rX", cpDir.toString()).inheritIO().start().waitFor();
            Files.writeString(cpDir.resolve("path"), String.join(File.pathSeparator, parts));
        }
        return Files.readString(cpDir.resolve("path"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<CsvRow<WatchColumn>> rows(Path folder) throws IOException {
        return WatchFolder.WATCH.read(folder.resolve(WatchFolder.WATCH_FILE), false).rows();
    }

    static List<CsvRow<WatchColumn>> of(List<CsvRow<WatchColumn>> rows, long pid, String status) {
        return rows.stream().filter(r -> r.getLong(WatchColumn.PID) == pid && (status == null
                || r.get(WatchColumn.STATUS).equals(status))).toList();
    }

    static void waitFor(String what, Duration limit, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (!done.call()) {
            assertTrue(System.nanoTime() < end, "timed out waiting for " + what);
            Thread.sleep(500);
        }
    }

    /** Prometheus's query API: the value of query for the series with pid, or null. */
    static Double query(HttpClient http, int port, String query, long pid) throws Exception {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                    + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException notYet) {
            return null; // Prometheus still starting (a loaded machine: it listens after a few seconds)
        }
        if (r.statusCode() != 200) {
            return null;
        }
        JsonArray result = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("data")
                .getAsJsonArray("result");
        for (var e : result) {
            JsonObject o = e.getAsJsonObject();
            if (o.getAsJsonObject("metric").get("pid").getAsString().equals(Long.toString(pid))) {
                return Double.parseDouble(o.getAsJsonArray("value").get(1).getAsString());
            }
        }
        return null;
    }

    @Test
    void prometheusScrapesWhatInspectSaysAndTheFallAfterATrim() throws Exception {
        assumeTrue(new File("/usr/bin/prometheus").canExecute() && new File("/usr/bin/promtool").canExecute(),
                "needs Debian's prometheus package (.ci/run installs it)");
        int watchPort = freePort();
        int promPort = freePort();
        Path out = dir.resolve("scraped");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\nscrape_configs:\n"
                + "  - job_name: rsslab\n    static_configs:\n      - targets: ['127.0.0.1:" + watchPort + "']\n");
        Path script = Path.of("src/test/resources/inspect/holder.py").toAbsolutePath();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Process prom = null;
        Process watch = null;
        try (InspectTest.Held c = hold("article4", false);
                InspectTest.Held py = new InspectTest.Held(List.of("python3", script.toString()), Map.of())) {
            long cBefore = InspectTest.vmRss(c.pid);
            long pyBefore = InspectTest.vmRss(py.pid);
            watch = watch(dir.resolve("scraped.log"), false, Long.toString(c.pid), Long.toString(py.pid),
                    "--interval", "1", "--listen", "127.0.0.1:" + watchPort, "--out", out.toString());
            prom = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            final Process w = watch;
            final Process p = prom;
            for (InspectTest.Held h : List.of(c, py)) {
                long predictedKb = InspectTest.inspect(h.pid).get("trim_releasable_kb").getAsLong();
                assertTrue(predictedKb > 50 * 1024, "the holder holds freed memory: " + predictedKb + " kB");
                Double[] seen = new Double[1];
                waitFor("Prometheus to have process " + h.pid + "'s trim_releasable", Duration.ofSeconds(60), () -> {
                    assertTrue(w.isAlive(), () -> "watch ended: " + log("scraped.log"));
                    assertTrue(p.isAlive(), () -> "Prometheus ended: " + log("prometheus.log"));
                    seen[0] = query(http, promPort, "rsslab_trim_releasable_bytes", h.pid);
                    return seen[0] != null;
                });
                double predicted = predictedKb * 1024.0;
                assertTrue(Math.abs(seen[0] - predicted) <= Math.max(2 << 20, predicted * 0.05), "Prometheus says "
                        + seen[0] + " bytes, inspect " + predicted);
                long[] trimmed = h.trim();
                assertTrue(trimmed[0] - trimmed[1] > 40 * 1024, "the trim returned memory: " + trimmed[0] + " -> "
                        + trimmed[1]);
                waitFor("Prometheus to see process " + h.pid + "'s trim", Duration.ofSeconds(60), () -> {
                    Double v = query(http, promPort, "rsslab_trim_releasable_bytes", h.pid);
                    return v != null && v < seen[0] / 4;
                });
                Double rss = query(http, promPort, "rsslab_process_rss_bytes", h.pid);
                assertTrue(rss != null && rss > 0, "VmRSS is a series too");
            }
            // promtool checks the endpoint's own text (the Prometheus text format, as promtool reads it).
            String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + watchPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(text.contains("rsslab_malloc_free_resident_bytes{arena=\"main\""), text);
            Process check = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                    .start();
            check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.waitFor(), said);
            // SIGTERM: watch ends, its folder complete; the holders were only read (the trims were their own).
            watch.destroy();
            assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "watch ended on SIGTERM");
            String log = log("scraped.log");
            assertFalse(log.contains("Exception"), log);
            List<CsvRow<WatchColumn>> rows = rows(out);
            for (InspectTest.Held h : List.of(c, py)) {
                assertFalse(of(rows, h.pid, "walked").isEmpty(), "walked rows of " + h.pid);
                assertTrue(h.process.isAlive(), "the holder runs on");
            }
            assertTrue(cBefore >= InspectTest.vmRss(c.pid) && pyBefore >= InspectTest.vmRss(py.pid),
                    "watch never raised a holder's RSS");
            CliRunner.Outcome report = CliRunner.run("report", out.toString());
            assertEquals(0, report.exitCode(), report.err());
            String html = Files.readString(out.resolve("report").resolve("report.html"));
            assertTrue(html.contains("Free resident malloc memory of each process over time") && html.contains(
                    c.pid + " " + token.substring(0, Math.min(15, token.length()))), "the watch report: " + html
                    .substring(0, Math.min(2000, html.length())));
        } finally {
            for (Process p : new Process[] {watch, prom}) {
                if (p != null && p.isAlive()) {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    static String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Test
    void processesArePickedUpDroppedAndAnotherUsersIsUnreadableOnce() throws Exception {
        Path out = dir.resolve("picked");
        // The folder is made by nobody: its parent must let it.
        Path parent = Files.createDirectories(dir.resolve("nobodys"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        out = parent.resolve("picked");
        Process watch;
        long gone;
        long rootOwned;
        long late;
        try (InspectTest.Held root = hold("bins", false)) {
            rootOwned = root.pid;
            InspectTest.Held early = hold("bins", true);
            gone = early.pid;
            watch = watch(dir.resolve("picked.log"), true, "--match", token, "--interval", "0.5", "--duration",
                    "10", "--out", out.toString());
            final Path folder = out;
            waitFor("watch to read the first holder", Duration.ofSeconds(30), () -> Files.exists(folder.resolve(
                    WatchFolder.WATCH_FILE)) && !of(rows(folder), gone, "walked").isEmpty());
            try (InspectTest.Held started = hold("bins", true)) {
                late = started.pid;
                early.close();
                assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch ended after --duration");
            }
        }
        assertEquals(0, watch.exitValue(), log("picked.log"));
        List<CsvRow<WatchColumn>> rows = rows(out);
        assertEquals(1, of(rows, gone, "exited").size(), "the holder that exited is dropped once: " + rows);
        assertTrue(of(rows, gone, null).stream().filter(r -> r.get(WatchColumn.STATUS).equals("exited")).findFirst()
                .orElseThrow().getDouble(WatchColumn.SECONDS) >= of(rows, gone, "walked").get(0)
                .getDouble(WatchColumn.SECONDS));
        assertFalse(of(rows, late, "walked").isEmpty(), "the holder started during the watch is picked up");
        // Its first walk may have come while it was still setting its pattern up: the last one is after.
        List<CsvRow<WatchColumn>> walked = of(rows, late, "walked");
        assertTrue(walked.get(walked.size() - 1).getLong(WatchColumn.TRIM_RELEASABLE_KB) > 20 * 1024, walked.toString());
        List<CsvRow<WatchColumn>> refused = of(rows, rootOwned, null);
        assertEquals(1, refused.size(), "root's holder: one row, never retried: " + refused);
        assertEquals("unreadable", refused.get(0).get(WatchColumn.STATUS));
        assertTrue(refused.get(0).get(WatchColumn.REASON).contains("cannot read /proc/" + rootOwned),
                refused.get(0).get(WatchColumn.REASON));
        String log = log("picked.log");
        assertEquals(1, log.lines().filter(l -> l.contains("process " + rootOwned + " ")).count(), log);
        // Carried readings: a holder that does nothing is not walked every tick.
        assertFalse(of(rows, late, "carried").isEmpty(), "unchanged processes are carried, not walked: " + rows);
    }

    /**
     * --trim-when: a C holder over the line is trimmed once (--trim-every outlasts the watch), through the
     * injector as rsslab trim does: VmRSS falls by what inspect predicted and the row says so; a stopped
     * holder is refused, counted with the rule, left stopped, and the watch goes on.
     */
    @Test
    void trimWhenTrimsOnceAndCountsARefusal() throws Exception {
        Path out = dir.resolve("trimwhen");
        Path textDir = Files.createDirectories(dir.resolve("trimwhen-textfile"));
        try (InspectTest.Held h = hold("bins", false); InspectTest.Held stopped = hold("bins", false)) {
            long before = InspectTest.vmRss(h.pid);
            long predictedKb = InspectTest.inspect(h.pid).get("trim_releasable_kb").getAsLong();
            assertTrue(predictedKb > 32 * 1024, "the holder holds freed memory: " + predictedKb + " kB");
            new ProcessBuilder("kill", "-STOP", Long.toString(stopped.pid)).start().waitFor();
            String state;
            try {
                Process watch = watch(dir.resolve("trimwhen.log"), false, Long.toString(h.pid),
                        Long.toString(stopped.pid), "--interval", "0.5", "--duration", "4", "--trim-when",
                        "releasable>16MiB", "--trim-every", "1h", "--out", out.toString(), "--textfile",
                        textDir.toString());
                assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "watch ended after --duration");
                assertEquals(0, watch.exitValue(), log("trimwhen.log"));
                state = Files.readString(Path.of("/proc/" + stopped.pid + "/status"));
            } finally {
                new ProcessBuilder("kill", "-CONT", Long.toString(stopped.pid)).start().waitFor();
            }
            long after = InspectTest.vmRss(h.pid);
            assertTrue(before - after >= predictedKb * 0.95 - 2048, "VmRSS " + before + " -> " + after
                    + " kB, predicted " + predictedKb);
            List<CsvRow<WatchColumn>> rows = rows(out);
            List<CsvRow<WatchColumn>> trims = of(rows, h.pid, null).stream().filter(r -> !r.isEmpty(WatchColumn.TRIM))
                    .toList();
            assertEquals(1, trims.size(), "trimmed once: " + rows);
            CsvRow<WatchColumn> t = trims.get(0);
            assertEquals("inject:1", t.get(WatchColumn.TRIM));
            assertEquals(1, t.getLong(WatchColumn.TRIMS));
            assertTrue(t.getLong(WatchColumn.TRIM_RSS_BEFORE_KB) - t.getLong(WatchColumn.TRIM_RSS_AFTER_KB)
                    >= predictedKb * 0.95 - 2048, t.toString());
            List<CsvRow<WatchColumn>> walked = of(rows, h.pid, "walked");
            assertTrue(walked.get(walked.size() - 1).getLong(WatchColumn.TRIM_RELEASABLE_KB) < 16 * 1024,
                    "walked again after the trim: " + walked);
            List<CsvRow<WatchColumn>> refused = of(rows, stopped.pid, null).stream()
                    .filter(r -> !r.isEmpty(WatchColumn.TRIM)).toList();
            assertEquals(1, refused.size(), "refused once, not each tick: " + rows);
            assertEquals("refused:stopped", refused.get(0).get(WatchColumn.TRIM));
            assertTrue(state.contains("State:\tT"), "left stopped: " + state);
            String prom = Files.readString(textDir.resolve("rsslab_watch.prom"));
            assertTrue(prom.contains("outcome=\"released\",pid=\"" + h.pid + "\"} 1.0"), prom);
            assertTrue(prom.contains("outcome=\"refused_stopped\",pid=\"" + stopped.pid + "\"} 1.0"), prom);
            assertTrue(h.process.isAlive() && stopped.process.isAlive(), "the holders run on");
        }
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        long self = ProcessHandle.current().pid();
        InspectTest.assertRefused("name the processes", "watch");
        InspectTest.assertRefused("--interval 0.0 is out of range", "watch", "--all", "--interval", "0");
        InspectTest.assertRefused("--duration -1.0 is out of range", "watch", "--all", "--duration", "-1");
        InspectTest.assertRefused("--match '(' is not a regular expression", "watch", "--match", "(");
        InspectTest.assertRefused("--all follows every process", "watch", "--all", "--match", "x");
        InspectTest.assertRefused("--user no-such-user-here: no such user", "watch", "--user", "no-such-user-here");
        InspectTest.assertRefused("--cgroup /no/such/group: no such cgroup", "watch", "--cgroup", "/no/such/group");
        InspectTest.assertRefused("PID 'x' is not a process id", "watch", "x");
        InspectTest.assertRefused("--trim-when 'heap>1M' is not FIGURE>SIZE", "watch", "--all", "--trim-when",
                "heap>1M");
        InspectTest.assertRefused("--trim-when 'rss>12Q': '12Q': a size expected", "watch", "--all", "--trim-when",
                "rss>12Q");
        InspectTest.assertRefused("--trim-every '0' is not a duration", "watch", "--all", "--trim-when", "rss>1G",
                "--trim-every", "0");
        InspectTest.assertRefused("no process 999999999", "watch", "999999999");
        InspectTest.assertRefused("the port '99999' is not a number", "watch", "--all", "--listen", "99999");
        InspectTest.assertRefused("--textfile /no/such is not a folder", "watch", "--all", "--textfile", "/no/such");
        InspectTest.assertRefused("--out " + dir + " exists already", "watch", "--all", "--out", dir.toString());
        InspectTest.assertRefused("the folder it would be made in does not exist", "watch", "--all", "--out",
                "/no/such/folder");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InspectTest.assertRefused("--listen 127.0.0.1:" + taken.getLocalPort() + ": ", "watch",
                    Long.toString(self), "--listen", Integer.toString(taken.getLocalPort()));
        }
    }

    @Test
    void theTextfileIsWrittenWholeForNodeExporter() throws Exception {
        Path textDir = Files.createDirectories(dir.resolve("textfile"));
        try (InspectTest.Held h = hold("threads", false)) {
            Process watch = watch(dir.resolve("textfile.log"), false, Long.toString(h.pid), "--interval", "0.5",
                    "--duration", "2", "--textfile", textDir.toString());
            assertTrue(watch.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, watch.exitValue(), log("textfile.log"));
            try (var files = Files.list(textDir)) {
                assertEquals(List.of("rsslab_watch.prom"), files.map(p -> p.getFileName().toString()).toList(),
                        "the textfile alone, no temporary file left");
            }
            String text = Files.readString(textDir.resolve("rsslab_watch.prom"));
            Predicate<String> thread = l -> l.startsWith("rsslab_malloc_thread_top_resident_bytes{")
                    && l.contains("pid=\"" + h.pid + "\"");
            double top = Double.parseDouble(text.lines().filter(thread).findFirst().orElseThrow().split(" ")[1]);
            assertTrue(top > 50 << 20, "the two thread heaps' 30 MiB tops: " + text);
            // The live thresholds, mp_ as inspect reads it.
            var settings = InspectTest.inspect(h.pid).getAsJsonObject("settings");
            Predicate<String> mmap = l -> l.startsWith("rsslab_malloc_mmap_threshold_bytes{")
                    && l.contains("pid=\"" + h.pid + "\"");
            Predicate<String> dyn = l -> l.startsWith("rsslab_malloc_dynamic_threshold{")
                    && l.contains("pid=\"" + h.pid + "\"");
            assertEquals(settings.get("mmap_threshold").getAsDouble(), Double.parseDouble(text.lines().filter(mmap)
                    .findFirst().orElseThrow().split(" ")[1]), text);
            assertEquals(settings.get("no_dyn_threshold").getAsInt() == 1 ? 0.0 : 1.0, Double.parseDouble(text.lines()
                    .filter(dyn).findFirst().orElseThrow().split(" ")[1]), text);
            if (new File("/usr/bin/promtool").canExecute()) {
                Process check = new ProcessBuilder("/usr/bin/promtool", "check", "metrics")
                        .redirectInput(textDir.resolve("rsslab_watch.prom").toFile()).redirectErrorStream(true).start();
                String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, check.waitFor(), said);
            }
        }
    }
    /** utime + stime of a process, seconds (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    /**
     * Own cost, in the suite's time: 20 holders at a 10 s interval for 70 s. watch's CPU after its
     * start-up stays under 5% of a core (docs/performance.md has the 10-minute figures), the readings
     * of a tick are spread over it, and no holder's VmRSS moved.
     */
    @Test
    void twentyHoldersCostLittleAndAreNeverTouched() throws Exception {
        Path out = dir.resolve("cost");
        List<InspectTest.Held> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                holders.add(hold("bins", false));
            }
            List<Long> before = new ArrayList<>();
            for (InspectTest.Held h : holders) {
                before.add(InspectTest.vmRss(h.pid));
            }
            Process watch = watch(dir.resolve("cost.log"), false, "--match", token, "--interval", "10",
                    "--duration", "70", "--out", out.toString());
            Thread.sleep(15_000);
            double cpu0 = cpuSeconds(watch.pid());
            long t0 = System.nanoTime();
            double cpu1 = cpu0;
            long t1 = t0;
            while (!watch.waitFor(2, TimeUnit.SECONDS)) {
                cpu1 = cpuSeconds(watch.pid());
                t1 = System.nanoTime();
            }
            assertEquals(0, watch.exitValue(), log("cost.log"));
            double share = (cpu1 - cpu0) / ((t1 - t0) / 1e9);
            assertTrue(share < 0.05, "watch used " + share * 100 + "% of a core for 20 processes at 10 s");
            for (int i = 0; i < holders.size(); i++) {
                assertEquals(before.get(i), InspectTest.vmRss(holders.get(i).pid), "holder " + i + "'s VmRSS");
            }
            List<CsvRow<WatchColumn>> rows = rows(out);
            assertEquals(20 * 7, rows.stream().filter(r -> !r.get(WatchColumn.STATUS).equals("exited")).count(),
                    "20 processes, 7 ticks");
            // The second tick's 20 readings spread over most of its 10 s, not in a burst.
            List<Double> second = rows.subList(20, 40).stream().map(r -> r.getDouble(WatchColumn.SECONDS)).toList();
            assertTrue(second.get(19) - second.get(0) > 8, "spread: " + second);
            assertTrue(rows.stream().filter(r -> r.get(WatchColumn.STATUS).equals("carried")).count() > 20 * 4,
                    "idle holders are carried, not walked each tick");
        } finally {
            for (InspectTest.Held h : holders) {
                h.close();
            }
        }
    }
}
