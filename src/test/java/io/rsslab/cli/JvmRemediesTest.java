package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.jvm.JavaRuntimeTest;

/** The JVM's own remedies, end to end with this machine's JVM. */
class JvmRemediesTest {

    @TempDir
    Path dir;

    @Test
    void jcmdTrimsAfterTheChosenRoundAndItsOutputIsKept() throws Exception {
        Path out = dir.resolve("j");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant",
                "jvm-jcmd-trim,jvm-trim-interval", "--host", "native,jvm", "--jcmd-round", "31", "--quiet",
                "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals(2, runs.size(), "JVM-only variants run on the jvm host only");
        CSVRecord jcmd = runs.stream().filter(r -> r.get("variant").equals("jvm-jcmd-trim")).findFirst().orElseThrow();
        assertEquals("31", jcmd.get("jcmd_round"));
        assertTrue(jcmd.get("jcmd_output").contains("Trim native heap"), jcmd.toString());
        assertTrue(Long.parseLong(jcmd.get("rss_after_jcmd_kb")) > 0, jcmd.toString());
        assertTrue(jcmd.get("jvm").startsWith(System.getProperty("java.version")), jcmd.toString());
        CSVRecord interval = runs.stream().filter(r -> r.get("variant").equals("jvm-trim-interval")).findFirst()
                .orElseThrow();
        assertTrue(interval.get("jvm_args").contains("-XX:TrimNativeHeapInterval=100"), interval.toString());
    }

    @Test
    void aJvmThatLacksTheFlagIsRefused() throws Exception {
        Path fake = JavaRuntimeTest.fakeJvm(dir, "");
        CliRunner.Outcome o = CliRunner.run("matrix", "--scenario", "article-4", "--variant", "jvm-trim-interval",
                "--host", "jvm", "--java", fake.toString(), "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().contains("has no -XX:TrimNativeHeapInterval (asked with -XX:+PrintFlagsFinal)"), o.err());
    }
}
