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
        Path plainDir = Files.createDirectories(dir.resolve("not-results"));
        Path results = Files.createDirectories(dir.resolve("old-results"));
        Files.writeString(results.resolve("runs.csv"), "run_id\n");
        String m = "matrix";
        String s4 = "--scenario=article-4";
        return Stream.of(
                Arguments.of("give --scenario (or --resume DIR)", new String[] {m}),
                Arguments.of("unknown scenario 'nope'", new String[] {m, "--scenario", "nope"}),
                Arguments.of("unknown variant 'nope'", new String[] {m, s4, "--variant", "nope"}),
                Arguments.of("not a host", new String[] {m, s4, "--host", "solaris"}),
                Arguments.of("--repeat 0 is out of range", new String[] {m, s4, "--repeat", "0"}),
                Arguments.of("Invalid value for option '--repeat'", new String[] {m, s4, "--repeat", "abc"}),
                Arguments.of("--jobs 0 is out of range", new String[] {m, s4, "--jobs", "0"}),
                Arguments.of("Invalid value for option '--jobs'", new String[] {m, s4, "--jobs", "two"}),
                Arguments.of("--timeout 0 is out of range", new String[] {m, s4, "--timeout", "0"}),
                Arguments.of("--timeout -5 is out of range", new String[] {m, s4, "--timeout", "-5"}),
                Arguments.of("has no '='", new String[] {m, s4, "--env", "BAD"}),
                Arguments.of("more than once", new String[] {m, s4, "--env", "A=1", "--env", "A=2"}),
                Arguments.of("--preload /nonexistent.so: no such file", new String[] {m, s4, "--preload",
                        "/nonexistent.so"}),
                Arguments.of("is not a shared library", new String[] {m, s4, "--preload", "/etc/hostname"}),
                Arguments.of("--label 'bad label!' must be", new String[] {m, s4, "--env", "A=1", "--label",
                        "bad label!"}),
                Arguments.of("already exists", new String[] {m, s4, "--out", plainDir.toString()}),
                Arguments.of("is not a results folder", new String[] {m, s4, "--out", plainDir.toString(),
                        "--overwrite"}),
                Arguments.of("does not exist", new String[] {m, s4, "--out", dir.resolve("no/such/x").toString()}),
                Arguments.of("cannot create the results folder", new String[] {m, s4, "--out", "/proc/self/x"}),
                Arguments.of("is not a JVM", new String[] {m, s4, "--host", "jvm", "--java", "/bin/ls"}),
                Arguments.of("is not an executable file", new String[] {m, s4, "--host", "jvm", "--java",
                        "/nonexistent/java"}),
                Arguments.of("--jcmd-round 99 is not a round of article-4", new String[] {m, s4, "--host", "jvm",
                        "--variant", "jvm-jcmd-trim", "--jcmd-round", "99"}),
                Arguments.of("nothing to run", new String[] {m, s4, "--variant", "jvm-trim-interval"}),
                Arguments.of("applies to --host jvm only", new String[] {"run", "article-4", "--variant",
                        "jvm-trim-interval"}),
                Arguments.of("cannot pause for jcmd", new String[] {"run", "article-4", "--host", "jvm",
                        "--variant", "jvm-jcmd-trim", "--format", "seed"}),
                Arguments.of("is a folder, not a file", new String[] {"run", "article-4", "--out",
                        plainDir.toString(), "--overwrite"}),
                Arguments.of("unknown scenario 'nope'", new String[] {"reproduce", "--scenario", "nope"}),
                Arguments.of("--jobs 0 is out of range", new String[] {"reproduce", "--jobs", "0"}),
                Arguments.of("already exists", new String[] {"reproduce", "--out", plainDir.toString()}),
                Arguments.of("unknown scenario 'nope'", new String[] {"hosts", "nope"}),
                Arguments.of("Missing required parameter", new String[] {"hosts"}),
                Arguments.of("applies to the jvm host only", new String[] {"hosts", "article-4", "--variant",
                        "jvm-jcmd-trim"}),
                Arguments.of("is not a JVM", new String[] {"variants", "--java", "/bin/ls"}),
                Arguments.of("Unmatched argument", new String[] {"scenarios", "extra"}),
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
