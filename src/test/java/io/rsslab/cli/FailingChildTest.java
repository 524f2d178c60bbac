package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

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
}
