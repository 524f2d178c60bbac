package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory guard and a real OOM kill, with rsslab inside a memory cgroup
 * of its own (cgroup v1 here; skipped, saying why, where one cannot be made).
 */
class MemoryGuardTest {

    static final Path V1 = Path.of("/sys/fs/cgroup/memory");

    @TempDir
    Path dir;
    Path cgroup;

    @BeforeEach
    void makeCgroup() throws IOException {
        assumeTrue(Files.isWritable(V1), "cgroup v1 memory controller not writable here: " + V1);
        cgroup = V1.resolve("rsslab-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(cgroup);
            // Room for rsslab's own small JVM, not for article-4's 134 MB on top of it.
            Files.writeString(cgroup.resolve("memory.limit_in_bytes"), "160M");
        } catch (IOException e) {
            assumeTrue(false, "cannot create a memory cgroup here: " + e);
        }
    }

    @AfterEach
    void removeCgroup() throws Exception {
        if (cgroup != null && Files.exists(cgroup)) {
            for (int i = 0; i < 50 && !Files.readString(cgroup.resolve("cgroup.procs")).isBlank(); i++) {
                Thread.sleep(100);
            }
            Files.delete(cgroup);
        }
    }

    /** rsslab as its own process, moved into the cgroup before it starts (its children inherit it). */
    record Outcome(int exit, String out) {
    }

    Outcome rsslabInCgroup(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && shift && exec \"$@\"",
                cgroup.resolve("cgroup.procs").toString(), "x",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx48m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Outcome(p.exitValue(), out);
    }

    @Test
    void refusesWhatCannotFitAndNamesTheWaysOut() throws Exception {
        Outcome o = rsslabInCgroup("run", "article-4", "--format", "csv");
        assertEquals(ExitCodes.USAGE, o.exit(), o.out());
        assertTrue(o.out().startsWith("rsslab: article-4 needs 192 MiB at its peak (data/scenarios.csv), but this "
                + "machine can give"), o.out());
        assertTrue(o.out().contains("memory cgroup v1 /" + cgroup.getFileName() + " limit 160 MiB"), o.out());
        assertTrue(o.out().contains("; --force to run it anyway"), "no smaller scenario fits here: " + o.out());
        assertTrue(!o.out().contains("such as article-4"), "it does not advise what it refused: " + o.out());
        assertEquals(1, o.out().strip().lines().count(), "one line: " + o.out());
    }

    @Test
    void aRealOomKillIsRecognised() throws Exception {
        Path out = dir.resolve("oom");
        Outcome o = rsslabInCgroup("matrix", "--scenario", "article-4", "--force", "--quiet", "--out", out.toString());
        assertEquals(ExitCodes.RUN_FAILED, o.exit(), o.out());
        List<org.apache.commons.csv.CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals("failed", runs.get(0).get("status"));
        assertEquals("9", runs.get(0).get("signal"));
        assertTrue(runs.get(0).get("failure").contains("killed by SIGKILL, likely the OOM killer: the memory cgroup "),
                runs.get(0).toString());
    }

    @Test
    void aChildPastItsTimeIsStopped() throws Exception {
        Path out = dir.resolve("slow");
        // article-1 takes 20 s or more: one second is not enough.
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-1", "--timeout", "1", "--quiet",
                "--out", out.toString());
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.err());
        List<org.apache.commons.csv.CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertTrue(runs.get(0).get("failure").startsWith("timed out after 1 s"), runs.get(0).toString());
    }
}
