package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child that fails is reported with its exit status and the tail of its stderr. */
class FailingChildTest {

    @Test
    void jvmChildThatCannotStart() {
        // A real failure: the child JVM refuses an unknown -XX option given through its environment.
        CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", "jvm", "--format", "csv",
                "--env", "JAVA_TOOL_OPTIONS=-XX:+NoSuchRsslabFlag");
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.err());
        assertTrue(o.err().startsWith("rsslab: run "), o.err());
        assertTrue(o.err().contains("the child printed no records; the child exit status 1"), o.err());
        assertTrue(o.err().contains("stderr| ") && o.err().contains("NoSuchRsslabFlag"), o.err());
    }

    @Test
    void aMatrixKeepsTheFailureAndGoesOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path out = dir.resolve("m");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--host", "native,jvm",
                "--env", "JAVA_TOOL_OPTIONS=-XX:+NoSuchRsslabFlag", "--label", "broken-jvm", "--quiet",
                "--out", out.toString());
        assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), o.err());
        assertTrue(o.err().contains("1 of 2 runs failed"), o.err());
        var runs = Csv.read(out.resolve("runs.csv"));
        var jvm = runs.stream().filter(r -> r.get("host").equals("jvm")).findFirst().orElseThrow();
        var nativeRun = runs.stream().filter(r -> r.get("host").equals("native")).findFirst().orElseThrow();
        assertEquals("failed", jvm.get("status"));
        assertEquals("1", jvm.get("exit_code"));
        assertTrue(jvm.get("stderr_tail").contains("NoSuchRsslabFlag"), jvm.toString());
        assertEquals("ok", nativeRun.get("status"), "the rest of the matrix went on");
    }

    /**
     * A library that passes every check before the start, but that ld.so
     * cannot load: a dependency is gone, which stops the child itself (the
     * reaper runs without the preload and reports it).
     */
    static Path libraryMissingADependency(Path dir) throws Exception {
        Files.writeString(dir.resolve("dep.c"), "int dep(void) { return 1; }\n");
        Files.writeString(dir.resolve("lib.c"), "int dep(void);\nint lib(void) { return dep(); }\n");
        for (List<String> cmd : List.of(
                List.of("gcc", "-shared", "-fPIC", "-o", "libdep.so", "dep.c"),
                List.of("gcc", "-shared", "-fPIC", "-o", "libneedsdep.so", "lib.c", "-L.", "-ldep"))) {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
        }
        Files.delete(dir.resolve("libdep.so"));
        return dir.resolve("libneedsdep.so");
    }

    @Test
    void aPreloadTheLoaderIgnoredFailsTheRun(@TempDir Path dir) throws Exception {
        Path lib = libraryMissingADependency(dir);
        for (String host : List.of("native", "jvm")) {
            CliRunner.Outcome o = CliRunner.run("run", "article-4", "--host", host, "--format", "csv",
                    "--preload", lib.toString());
            assertEquals(ExitCodes.RUN_FAILED, o.exitCode(), host + ": " + o.err());
            assertTrue(o.err().startsWith("rsslab: run "), host + ": " + o.err());
            assertTrue(o.err().contains("libdep.so: cannot open shared object file"),
                    "ld.so's own words in the stderr tail: " + o.err());
            assertTrue(o.out().lines().count() <= 1, "no rounds measured without the preload: " + o.out());
        }
    }
}
