package io.rsslab.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deploy files, checked by the tools of their own ecosystems: the Prometheus rules by promtool
 * (check rules, and their unit tests), the systemd unit by systemd-analyze verify.
 */
class DeployTest {

    static final Path DEPLOY = Path.of("deploy");

    static String run(Path cwd, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    static void needs(String tool, String pkg) {
        assumeTrue(new File(tool).canExecute(), "needs " + tool + " (Debian's " + pkg + "; .ci/run installs it)");
    }

    @Test
    void thePrometheusRulesAreValidAndTheirUnitTestsPass() throws Exception {
        needs("/usr/bin/promtool", "prometheus");
        Path dir = DEPLOY.resolve("prometheus");
        assertTrue(run(dir, "/usr/bin/promtool", "check", "rules", "rsslab-rules.yml").contains("SUCCESS"));
        assertTrue(run(dir, "/usr/bin/promtool", "test", "rules", "rsslab-rules.test.yml").contains("SUCCESS"));
    }

    /**
     * systemd-analyze verify checks the unit's syntax, its directives and that ExecStart's program exists.
     * /usr/bin/rsslab is the Debian package's; before it is installed the check runs on a copy whose
     * ExecStart names an executable that does exist, with the same arguments. The man page named in
     * Documentation= comes with the package too (--man=no).
     */
    @Test
    void theSystemdUnitVerifies(@TempDir Path tmp) throws Exception {
        needs("/usr/bin/systemd-analyze", "systemd");
        String unit = Files.readString(DEPLOY.resolve("systemd").resolve("rsslab-watch.service"));
        assertTrue(unit.contains("ExecStart=/usr/bin/rsslab watch "), unit);
        Path copy = tmp.resolve("rsslab-watch.service");
        Files.writeString(copy, new File("/usr/bin/rsslab").canExecute() ? unit
                : unit.replace("ExecStart=/usr/bin/rsslab ", "ExecStart=/bin/true "));
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/systemd-analyze", "verify", "--man=no",
                copy.toString()));
        String said = run(tmp, cmd.toArray(String[]::new));
        assertEquals("", said.strip(), "systemd-analyze verify says nothing of a sound unit");
    }
}
