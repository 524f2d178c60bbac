package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing rsslab starts outlives it (issue 22, item 2): try --duration stops
 * a command's whole tree, a double-forked daemon is counted while it lives,
 * stopped at the end and said, kill -9 of rsslab during try and record
 * leaves nothing running, and a Ctrl-C of try is rsslab's, not the
 * command's failure. Every process is found by a marker unique to the test
 * in its argv.
 */
class ProcessTreeTest {

    @TempDir
    Path dir;

    final String marker = "rsslab-marker-" + UUID.randomUUID();

    /** The processes whose argv holds the marker. */
    List<Long> marked() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if (new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).contains(marker)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // Ended while read.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    /** The marked processes after up to 5 s for them to go. */
    List<Long> left() throws InterruptedException {
        for (int i = 0; i < 100 && !marked().isEmpty(); i++) {
            Thread.sleep(50);
        }
        return marked();
    }

    @AfterEach
    void killWhatIsLeft() {
        // A failed test must not leave its processes to the next one.
        marked().forEach(p -> ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly));
    }

    /** A script that starts children children and a double-forked daemon, all marked, then waits. */
    Path forker(int children) throws IOException {
        Path s = dir.resolve("forker.sh");
        Files.writeString(s, "#!/bin/sh\n"
                + "i=0; while [ $i -lt " + children + " ]; do sh -c 'sleep 1000; :' " + marker + " & i=$((i+1)); done\n"
                + "(setsid sh -c 'sleep 1000; :' " + marker + " &)\n"
                + "wait\n");
        s.toFile().setExecutable(true);
        return s;
    }

    Process rsslab(String... args) throws IOException {
        // Its own temporary folder: what record spools there is the test's to see.
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("rsslab.log").toFile())
                .start();
    }

    void awaitMarked(int n, Process rsslab) throws Exception {
        // One reading judged, not a second one: a process's cmdline reads empty for a moment while it forks or
        // execs, so two readings in a row can differ (a fresh clone's run failed on that, listing all four).
        List<Long> seen = marked();
        for (int i = 0; i < 600 && seen.size() < n; i++) {
            assertTrue(rsslab.isAlive(), Files.readString(dir.resolve("rsslab.log")));
            Thread.sleep(50);
            seen = marked();
        }
        assertTrue(seen.size() >= n, "the whole tree runs: " + seen);
    }

    @Test
    void durationStopsTheWholeTreeOfACommandThatForks500Children() throws Exception {
        Path out = dir.resolve("t");
        CliRunner.Outcome o = CliRunner.run("try", "--duration", "3", "--quiet", "--out", out.toString(), "--",
                forker(500).toString());
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(List.of(), left(), "nothing of the tree is left running");
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals("stopped", r.get("status"), r.toString());
        assertTrue(r.get("stopped").startsWith("stopped by rsslab after 3 s (--duration): SIGTERM"), r.toString());
    }

    @Test
    void aDoubleForkedDaemonIsCountedWhileItLivesStoppedAndSaid() throws Exception {
        Path s = dir.resolve("daemon.sh");
        // The daemon says when its 100 MiB are written; the command then lasts 1.5 s more (20 samples).
        Path ready = dir.resolve("ready");
        Files.writeString(s, "#!/bin/sh\n(setsid python3 -c 'import time; b = b\"x\" * (100 << 20); open(\"" + ready
                + "\", \"w\").close(); time.sleep(1000)' " + marker + " &)\n"
                + "i=0; while [ ! -e " + ready + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\nsleep 1.5\n");
        s.toFile().setExecutable(true);
        Path out = dir.resolve("d");
        CliRunner.Outcome o = CliRunner.run("try", "--quiet", "--out", out.toString(), "--", s.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertEquals(List.of(), left(), "the daemon is stopped when the command ends");
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        assertTrue(Long.parseLong(r.get("peak_rss_kb")) > 100 * 1024, "the daemon's 100 MiB is counted: " + r);
        assertEquals("", r.get("failure"), r.toString());
        assertTrue(r.get("stopped").startsWith("1 process of its tree still ran when the command ended (a daemon"),
                r.toString());
    }

    @Test
    void killMinus9OfRsslabDuringTryLeavesNothingRunning() throws Exception {
        Process p = rsslab("try", "--quiet", "--out", dir.resolve("t").toString(), "--", forker(20).toString());
        awaitMarked(21, p);
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(List.of(), left(), "the reaper stops the tree when rsslab dies");
    }

    @Test
    void killMinus9OfRsslabDuringRecordLeavesNothingRunning() throws Exception {
        Process p = rsslab("record", "--out", dir.resolve("t.trace").toString(), "--", forker(20).toString());
        awaitMarked(21, p);
        List<Path> spool;
        // The raw files are in one hidden folder beside the trace (RecordLauncher), never in /tmp.
        try (var s = Files.list(dir)) {
            spool = s.filter(f -> f.getFileName().toString().startsWith(".rsslab-record-")).toList();
        }
        assertEquals(1, spool.size(), "record's raw files: " + spool);
        try (var s = Files.list(spool.get(0))) {
            assertTrue(s.findAny().isPresent(), "the recorded processes write their raw files");
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(List.of(), left(), "record runs under the reaper too");
        for (int i = 0; i < 100 && Files.exists(spool.get(0)); i++) {
            Thread.sleep(50);
        }
        assertTrue(!Files.exists(spool.get(0)), "the raw files are removed with the tree");
    }

    @Test
    void aCtrlCOfTryIsRsslabsInterruptionNotTheCommandsFailure() throws Exception {
        Path out = dir.resolve("i");
        Process p = rsslab("try", "--quiet", "--out", out.toString(), "--", forker(3).toString());
        awaitMarked(4, p);
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(List.of(), left());
        CSVRecord r = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals("stopped", r.get("status"), r.toString());
        assertEquals("", r.get("failure"), r.toString());
        assertTrue(r.get("stopped").startsWith("interrupted by rsslab"), r.toString());
    }
}
