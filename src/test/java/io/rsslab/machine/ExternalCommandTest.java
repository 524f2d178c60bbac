package io.rsslab.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalCommandTest {

    @Test
    void keepsWhatTheProgramSaidAndHowItEnded() throws Exception {
        ExternalCommand.Result r = ExternalCommand.run(List.of("sh", "-c", "echo out; echo \"$X\" >&2; exit 3"),
                Map.of("X", "from env"), Duration.ofSeconds(10), "sh");
        assertEquals(new ExternalCommand.Result(3, "out\n", "from env\n"), r);
    }

    @Test
    void aProgramThatNeverAnswersIsStoppedWithWhatItStarted(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        long t0 = System.nanoTime();
        ExternalCommand.TimedOut e = assertThrows(ExternalCommand.TimedOut.class, () -> ExternalCommand.run(
                List.of("sh", "-c", "sleep 300 & echo $! > \"$0\"; wait", pidFile.toString()), Map.of(),
                Duration.ofSeconds(1), "the hanging program"));
        assertEquals("the hanging program did not answer within 1 s (it was stopped)", e.getMessage());
        assertTrue(System.nanoTime() - t0 < 10_000_000_000L, "stopped at its limit, not at the program's end");
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        for (int i = 0; i < 50 && ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(sleeper).map(ProcessHandle::isAlive).orElse(false), "its child is gone too");
    }
}
