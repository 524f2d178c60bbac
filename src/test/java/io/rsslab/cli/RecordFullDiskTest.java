package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rsslab record beside a trace on a full file system (a 2 MiB tmpfs; python3 makes over 100,000 calls, 4.6 MB of
 * raw records): one line that says the file system is full, exit 74, nothing left there. Before, the recorder's
 * quiet stop and the reaper's failed report read as "ran without the recorder ... a static program".
 */
class RecordFullDiskTest {

    @TempDir
    Path dir;

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void aFullFileSystemIsNamed() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString()) == 0,
                "needs to mount a tmpfs (root)");
        try {
            CliRunner.Outcome o = CliRunner.run("record", "--out", small.resolve("t.trace").toString(), "--",
                    "python3", "-c", "x = [bytes(600) for _ in range(100000)]");
            assertEquals(74, o.exitCode(), o.err());
            List<String> lines = o.err().lines().filter(l -> l.startsWith("rsslab:")).toList();
            assertEquals(1, lines.size(), o.err());
            assertTrue(lines.get(0).contains("its file system is full"), o.err());
            try (Stream<Path> s = Files.list(small)) {
                assertEquals(List.of(), s.toList(), "nothing left on the full file system");
            }
        } finally {
            run("umount", small.toString());
        }
    }
}
