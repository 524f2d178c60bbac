package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: one line naming the problem, exit code 2, no stack trace, no child started. */
class ArgumentErrorsTest {

    @TempDir
    static Path dir;

    static Stream<Arguments> badInputs() throws IOException {
        Path existing = Files.writeString(dir.resolve("existing.csv"), "keep me\n");
        return Stream.of(
                Arguments.of("unknown scenario 'nope'", new String[] {"run", "nope"}),
                Arguments.of("Missing required parameter", new String[] {"run"}),
                Arguments.of("has no '='", new String[] {"run", "article-4", "--env", "MALLOC_ARENA_MAX"}),
                Arguments.of("empty name", new String[] {"run", "article-4", "--env", "=1"}),
                Arguments.of("not a valid environment variable name",
                        new String[] {"run", "article-4", "--env", "1X=1"}),
                Arguments.of("more than once",
                        new String[] {"run", "article-4", "--env", "A=1", "--env", "A=2"}),
                Arguments.of("not a host", new String[] {"run", "article-4", "--host", "solaris"}),
                Arguments.of("--format", new String[] {"run", "article-4", "--format", "xml"}),
                Arguments.of("already exists", new String[] {"run", "article-4", "--out", existing.toString()}),
                Arguments.of("does not exist",
                        new String[] {"run", "article-4", "--out", dir.resolve("no/such/dir/x.csv").toString()}),
                Arguments.of("not writable", new String[] {"run", "article-4", "--out", "/proc/self/x.csv"}),
                Arguments.of("Unknown option", new String[] {"run", "article-4", "--bogus"}),
                Arguments.of("Unmatched argument", new String[] {"run", "article-4", "article-1"}),
                Arguments.of("Unmatched argument", new String[] {"frobnicate"}),
                Arguments.of("no command given", new String[] {}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void oneLineAndExitCode2(String expected, String[] args) {
        CliRunner.Outcome o = CliRunner.run(args);
        assertEquals(ExitCodes.USAGE, o.exitCode(), o.err());
        assertEquals(1, o.errLines().length, "exactly one line:\n" + o.err());
        assertTrue(o.err().startsWith("rsslab: "), o.err());
        assertTrue(o.err().contains(expected), o.err());
        assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), o.err());
        assertEquals("", o.out());
    }

    @Test
    void existingOutFileIsLeftAlone() throws IOException {
        Path f = Files.writeString(dir.resolve("results.csv"), "finished results\n");
        CliRunner.run("run", "article-4", "--out", f.toString());
        assertEquals("finished results\n", Files.readString(f));
    }

    @Test
    void debugShowsTheStackTrace() {
        CliRunner.Outcome o = CliRunner.run("run", "nope", "--debug");
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertTrue(o.err().contains("\tat "), o.err());
    }
}
