package io.rsslab.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.fork.ReplayArgs;
import io.rsslab.nativelib.NativeLoader;

/**
 * The replayer's arguments: produced by ReplayArgs, parsed by the same rules in
 * C (replay_args_parse, child_args.c): every combination ReplayArgs writes is
 * replayed whole by the probe, and what ReplayArgs refuses the probe refuses with
 * the same line and exit code 2.
 */
class ReplayArgsTest {

    static final String TRACE = Path.of("src/test/resources/record/known.trace").toAbsolutePath().toString();

    static ProbeTest.Ran probe(List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString()));
        cmd.addAll(args);
        return ProbeTest.run(cmd.toArray(String[]::new));
    }

    @Test
    void whatReplayArgsWritesTheProbeReplaysWhole() throws Exception {
        for (boolean one : List.of(false, true)) {
            for (boolean thread : List.of(false, true)) {
                ReplayArgs a = new ReplayArgs(TRACE, one, 3, thread);
                ProbeTest.Ran r = probe(a.toArgs());
                assertEquals(0, r.exit(), a + ": " + r.err());
                assertTrue(r.out().contains("end\tevents="), a + ": " + r.out());
                assertTrue(r.out().contains("\tcomplete=1"), a + ": " + r.out());
            }
        }
    }

    @Test
    void whatReplayArgsRefusesTheProbeRefusesAlike() throws Exception {
        IllegalArgumentException noTrace = assertThrows(IllegalArgumentException.class,
                () -> new ReplayArgs("-x", false, 1, false));
        ProbeTest.Ran r = probe(List.of("--replay", "-x"));
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("rsslab-probe: " + noTrace.getMessage() + "\n"), r.err());
        IllegalArgumentException every = assertThrows(IllegalArgumentException.class,
                () -> new ReplayArgs(TRACE, false, 0, false));
        r = probe(List.of("--replay", TRACE, "--sample-every", "0"));
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("rsslab-probe: " + every.getMessage() + "\n"), r.err());
        r = probe(List.of("--replay", TRACE, "--thread", "--thread"));
        assertEquals(2, r.exit(), "each option once");
    }
}
