package io.rsslab.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalTest {

    @Test
    void aTtyDeviceIsATerminalAPipeOrFileIsNot(@TempDir Path dir) throws Exception {
        assertTrue(Terminal.isTty(Files.createSymbolicLink(dir.resolve("pts"), Path.of("/dev/pts/3"))));
        assertTrue(Terminal.isTty(Files.createSymbolicLink(dir.resolve("tty"), Path.of("/dev/tty1"))));
        assertFalse(Terminal.isTty(Files.createSymbolicLink(dir.resolve("pipe"), Path.of("pipe:[12345]"))));
        assertFalse(Terminal.isTty(Files.createSymbolicLink(dir.resolve("file"), Path.of("/tmp/log.txt"))));
        assertFalse(Terminal.isTty(dir.resolve("missing")));
    }
}
