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
}
