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

    /** A file that starts like an ELF object of this class, data encoding, type and machine. */
    static Path fakeElf(String name, int elfClass, int type, int machine) throws IOException {
        byte[] h = new byte[64];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = (byte) elfClass;
        h[5] = 1;
        h[6] = 1;
        h[16] = (byte) type;
        h[18] = (byte) machine;
        return Files.write(dir.resolve(name), h);
    }

    static Stream<Arguments> badInputs() throws IOException, InterruptedException {
        Path existing = Files.writeString(dir.resolve("existing.csv"), "keep me\n");
        Path lib = Path.of("target/classes/native/linux-x86_64/librsslab.so").toAbsolutePath();
        Path spaced = Files.createDirectories(dir.resolve("with space"));
        Files.copy(lib, spaced.resolve("lib.so"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path coloned = Files.createDirectories(dir.resolve("with:colon"));
        Files.copy(lib, coloned.resolve("lib.so"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path truncated = dir.resolve("libtruncated.so");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(lib), 4096));
        Path fifo = dir.resolve("fifo");
        if (!Files.exists(fifo)) {
            new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        }
        Path link = dir.resolve("link.csv");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, existing);
        }
        Path resultsLink = dir.resolve("results-link");
        if (!Files.exists(resultsLink, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(resultsLink, Files.createDirectories(dir.resolve("old-results")));
        }
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
                Arguments.of("cannot be preloaded: it is not an ELF file", new String[] {m, s4, "--preload",
                        "/etc/hostname"}),
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
                Arguments.of("is not a regular file (a folder)", new String[] {"run", "article-4", "--out",
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
                Arguments.of("no command given", new String[] {}),
                // A preload ld.so would ignore: refused before anything starts.
                Arguments.of("is a position-independent executable, not a shared library",
                        new String[] {"run", "article-4", "--preload", "/bin/ls"}),
                Arguments.of("is a position-independent executable", new String[] {m, s4, "--preload", "/bin/sh"}),
                Arguments.of("is a 32-bit (ELFCLASS32) object", new String[] {"run", "article-4", "--preload",
                        fakeElf("lib32.so", 1, 3, 3).toString()}),
                Arguments.of("is for another machine (e_machine 183", new String[] {"run", "article-4", "--preload",
                        fakeElf("libarm.so", 2, 3, 183).toString()}),
                Arguments.of("is not a shared library (e_type 2)", new String[] {m, s4, "--preload",
                        fakeElf("exec", 2, 2, 62).toString()}),
                Arguments.of("it is not an ELF file", new String[] {m, s4, "--preload", "/etc/hostname"}),
                Arguments.of("it is truncated", new String[] {"run", "article-4", "--preload", truncated.toString()}),
                Arguments.of("--preload /no/such/lib.so: no such file", new String[] {"run", "article-4", "--preload",
                        "/no/such/lib.so"}),
                Arguments.of("has a space or colon in its path", new String[] {"run", "article-4", "--preload",
                        spaced.resolve("lib.so").toString()}),
                Arguments.of("has a space or colon in its path", new String[] {m, s4, "--preload",
                        coloned.resolve("lib.so").toString()}),
                Arguments.of("--env LD_PRELOAD is not taken: use --preload", new String[] {"run", "article-4",
                        "--env", "LD_PRELOAD=" + lib}),
                Arguments.of("--env LD_PRELOAD is not taken", new String[] {m, s4, "--env", "LD_PRELOAD=/x.so"}),
                // --overwrite replaces a regular file or a results folder, nothing else.
                Arguments.of("is not a regular file (a device, pipe or socket)", new String[] {"run", "article-4",
                        "--out", "/dev/null", "--overwrite"}),
                Arguments.of("is not a regular file (a device, pipe or socket)", new String[] {"run", "article-4",
                        "--out", fifo.toString(), "--overwrite"}),
                Arguments.of("is not a regular file (a symbolic link)", new String[] {"run", "article-4",
                        "--out", link.toString(), "--overwrite"}),
                Arguments.of("is not a results folder", new String[] {m, s4, "--out", resultsLink.toString(),
                        "--overwrite"}),
                Arguments.of("is not a results folder", new String[] {m, s4, "--out", "/dev", "--overwrite"}),
                Arguments.of("names a folder; this command writes one file", new String[] {"run", "article-4", "--out",
                        dir.resolve("newdir") + "/"}),
                Arguments.of("names a folder; this command writes one file", new String[] {"inspect", "1", "--out",
                        dir.resolve("newdir") + "/"}),
                Arguments.of("PID 'self' is not a process id", new String[] {"inspect", "self"}),
                Arguments.of("Missing required parameter", new String[] {"inspect"}),
                Arguments.of("Invalid value for option '--format'", new String[] {"inspect", "1", "--format", "xml"}),
                // Options that would mean nothing with the others given.
                Arguments.of("--jcmd-round goes with the variant jvm-jcmd-trim", new String[] {"run", "article-4",
                        "--host", "jvm", "--jcmd-round", "30"}),
                Arguments.of("--jcmd-round goes with the variant jvm-jcmd-trim", new String[] {m, s4, "--host", "jvm",
                        "--variant", "trim", "--jcmd-round", "30"}),
                Arguments.of("--java chooses the jvm host's JVM", new String[] {"run", "article-4", "--java",
                        "/usr/bin/java"}),
                Arguments.of("--jvm-arg chooses the jvm host's JVM", new String[] {m, s4, "--host", "native,thread",
                        "--jvm-arg=-Xmx64m"}),
                Arguments.of("--jvm-arg has no effect on rsslab variants", new String[] {"variants",
                        "--jvm-arg=-Xmx64m"}),
                Arguments.of("--label names a composed variant", new String[] {m, s4, "--label", "mine"}),
                Arguments.of("--label names a composed variant", new String[] {"run", "article-4", "--label", "mine"}),
                Arguments.of("--label trim is the name of a catalog variant", new String[] {m, s4, "--env", "A=1",
                        "--label", "trim"}),
                // What is echoed is escaped: no raw control character reaches the terminal.
                Arguments.of("has a control character", new String[] {"run", "article-4", "--env", "A=x\ny"}),
                Arguments.of("has a control character", new String[] {m, s4, "--env", "A=\u001b[31m"}),
                Arguments.of("unknown scenario 'x\\x1b[2J\\nrsslab: ok'", new String[] {"run",
                        "x\u001b[2J\nrsslab: ok"}),
                Arguments.of("unknown variant 'v\\r'", new String[] {m, s4, "--variant", "v\r"}),
                // churn and sweep (issue: parametric allocation patterns).
                Arguments.of("unknown parameter 'bogus'", new String[] {"sweep", "--param", "bogus=1"}),
                Arguments.of("a bad range, its start is above its end", new String[] {"sweep", "--param",
                        "size=1M..0:1M"}),
                Arguments.of("a step of zero", new String[] {"sweep", "--param", "size=1M..2M:0"}),
                Arguments.of("a factor must be above 1", new String[] {"sweep", "--param", "size=1M..2M:x1"}),
                Arguments.of("a range needs a step", new String[] {"sweep", "--param", "size=1M..2M"}),
                Arguments.of("more than 10000: narrow it, or give --force", new String[] {"sweep", "--param",
                        "size=1..20000:1"}),
                Arguments.of("more than 10000: narrow it, or give --force", new String[] {"sweep", "--param",
                        "size=1..101:1", "--param", "allocs=1..100:1"}),
                Arguments.of("parameter pages does not apply here", new String[] {"run", "churn", "--param",
                        "pages=5"}),
                Arguments.of("parameter threads=0 is out of range (1 to 64)", new String[] {"run", "churn", "--param",
                        "threads=0"}),
                Arguments.of("a fraction from 0 to 1", new String[] {"run", "churn", "--param", "shape=leak",
                        "--param", "leak=1.5"}),
                Arguments.of("parameter free=random: one of in-order, reverse, shuffled", new String[] {"run", "churn",
                        "--param", "free=random"}),
                Arguments.of("parameter min=2M is above max=1M", new String[] {"run", "churn", "--param", "dist=uniform",
                        "--param", "min=2M", "--param", "max=1M"}),
                Arguments.of("seal_every=65 is more than allocs=64", new String[] {"run", "churn", "--param",
                        "seal_every=65"}),
                Arguments.of("a size expected", new String[] {"run", "churn", "--param", "size=lots"}),
                Arguments.of("--param applies to churn and its scenario files", new String[] {"run", "article-4",
                        "--param", "size=1M"}),
                Arguments.of("--param size has 2 values: sweeping is rsslab sweep's", new String[] {m, "--scenario",
                        "churn", "--param", "size=1M,2M"}),
                Arguments.of("--param size is given twice", new String[] {"run", "churn", "--param", "size=1M",
                        "--param", "size=2M"}),
                Arguments.of("sweep runs churn or a churn scenario file, not 'article-4'", new String[] {"sweep",
                        "--scenario", "article-4", "--param", "size=1M"}),
                Arguments.of("a churn scenario has no such output", new String[] {"run", "churn", "--format", "seed"}),
                Arguments.of("the largest block would be", new String[] {"sweep", "--param", "size=0,1T",
                        "--param", "shape=rising", "--param", "step=4G", "--param", "rounds=1000"}));
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
        assertFalse(o.err().strip().chars().anyMatch(Character::isISOControl), "no raw control character: " + o.err());
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
