package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsslab interrupted mid-matrix (Ctrl-C, SIGTERM, or killed hard): no child
 * survives it, and rounds.csv and runs.csv stay valid CSV.
 */
class InterruptTest {

    @TempDir
    Path dir;

    /** Processes whose command line names the results folder: rsslab's children pass it as --malloc-info. */
    static List<Long> childrenOf(Path folder) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(folder.toString() + "/") && cmd.contains("rsslab-probe")) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // The process ended while we looked.
                }
            }
        }
        return pids;
    }

    /** Whether this process ignores SIGINT (/proc/self/status SigIgn, bit 1 for signal 2). */
    static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2L) != 0;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "KILL"})
    void noChildSurvivesAndTheCsvStaysValid(String signal) throws Exception {
        // Started with SIGINT ignored (a background job of a shell without job control, nohup), rsslab inherits
        // that and, as a tool should, keeps it ignored: nothing to test then.
        org.junit.jupiter.api.Assumptions.assumeFalse(signal.equals("INT") && sigintIgnored(),
                "SIGINT is ignored in this process, so in the rsslab it starts");
        Path out = dir.resolve("m-" + signal);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "matrix", "--scenario", "article-1",
                "--variant", "baseline,trim", "--jobs", "1", "--quiet", "--out", out.toString());
        Process rsslab = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(signal + ".log").toFile()).start();
        // Wait until a child is running and has written a round.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && (!Files.exists(out.resolve("rounds.csv"))
                || Files.readAllLines(out.resolve("rounds.csv")).size() < 3 || childrenOf(out).isEmpty())) {
            Thread.sleep(100);
        }
        assertTrue(!childrenOf(out).isEmpty(), "a child was running: " + Files.readString(dir.resolve(signal + ".log")));
        new ProcessBuilder("kill", "-" + signal, Long.toString(rsslab.pid())).start().waitFor();
        assertTrue(rsslab.waitFor(30, TimeUnit.SECONDS), "rsslab ended");
        long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < gone && !childrenOf(out).isEmpty()) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), childrenOf(out), "no child outlives rsslab");
        // Every row written is whole: the files parse as CSV with the header's width.
        for (String f : List.of("rounds.csv", "runs.csv")) {
            List<org.apache.commons.csv.CSVRecord> rows = Csv.read(out.resolve(f));
            for (org.apache.commons.csv.CSVRecord r : rows) {
                assertTrue(r.isConsistent(), f + " row " + r.getRecordNumber());
            }
        }
        assertTrue(Csv.read(out.resolve("rounds.csv")).size() >= 1);
    }

    @Test
    void aJavaThatNeverAnswersDiesWithRsslab() throws Exception {
        Path pidFile = dir.resolve("hung.pid");
        Path fake = dir.resolve("java");
        Files.writeString(fake, "#!/bin/sh\nsleep 300 &\necho $! > " + pidFile + "\nwait\n");
        Files.setPosixFilePermissions(fake, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Process rsslab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "variants", "--java", fake.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("hung.log").toFile()).start();
        for (int i = 0; i < 100 && !Files.exists(pidFile); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(pidFile), "the fake java started");
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        new ProcessBuilder("kill", "-TERM", Long.toString(rsslab.pid())).start().waitFor();
        assertTrue(rsslab.waitFor(15, TimeUnit.SECONDS), "rsslab ends on SIGTERM");
        for (int i = 0; i < 50 && running(sleeper); i++) {
            Thread.sleep(100);
        }
        assertTrue(!running(sleeper), "the process tree of the java it asked is gone");
    }

    /**
     * Alive and not a zombie: a child killed just before its shell is reparented to this machine's init,
     * which may leave it unreaped for a while; dead all the same.
     */
    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) || !Files.exists(stat)) {
            return false;
        }
        try {
            String s = Files.readString(stat);
            return s.charAt(s.lastIndexOf(')') + 2) != 'Z';
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
