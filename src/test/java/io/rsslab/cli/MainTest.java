package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line builds only the subcommand it is given, and still knows them all. */
class MainTest {

    @Test
    void everyCommandIsReachedAndListed() {
        CliRunner.Outcome all = CliRunner.run("--help");
        assertEquals(0, all.exitCode(), all.err());
        for (Class<?> c : Main.COMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            assertTrue(all.out().contains("\n  " + name + " "), name + " in rsslab --help:\n" + all.out());
            if (c == CommandLine.HelpCommand.class) {
                continue;
            }
            CliRunner.Outcome one = CliRunner.run(name, "--help");
            assertEquals(0, one.exitCode(), one.err());
            assertTrue(one.out().startsWith("Usage: rsslab " + name + " "), one.out());
            CliRunner.Outcome viaHelp = CliRunner.run("help", name);
            assertEquals(one.out(), viaHelp.out(), "rsslab help " + name);
        }
    }

    @Test
    void anUnknownCommandIsOneLine() {
        CliRunner.Outcome o = CliRunner.run("rn");
        assertEquals(ExitCodes.USAGE, o.exitCode());
        assertEquals(1, o.errLines().length, o.err());
    }

    @Test
    void theVersionAloneBuildsNoCommandAndStillSaysIt() {
        // Run from classes: the manifest's version is not there.
        for (String flag : new String[] {"--version", "-V"}) {
            CliRunner.Outcome o = CliRunner.run(flag);
            assertEquals(0, o.exitCode(), o.err());
            assertEquals("rsslab (development build)\n", o.out());
        }
    }
}
