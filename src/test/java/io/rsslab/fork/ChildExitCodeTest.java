package io.rsslab.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The child's exit codes are one table: src/main/c/exit_codes.h and ChildExitCode say the same. */
class ChildExitCodeTest {

    @Test
    void javaAndCNameTheSameCodes() throws Exception {
        String header = Files.readString(Path.of("src/main/c/exit_codes.h"));
        Map<String, Integer> c = new TreeMap<>();
        Matcher m = Pattern.compile("#define (RSSLAB_EXIT_\\w+) (\\d+)").matcher(header);
        while (m.find()) {
            c.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> java = new TreeMap<>();
        for (ChildExitCode code : ChildExitCode.values()) {
            java.put(code.cName(), code.code());
        }
        assertEquals(c, java);
    }

    @Test
    void aChildsOwnCodeIsNamedInItsFailure() {
        assertEquals("exit status 5 (a /proc reading failed)", ChildExit.describe(5));
        assertEquals("exit status 1", ChildExit.describe(1), "1 is also a JVM that failed to start: not named");
        assertTrue(ChildExit.describe(137).startsWith("killed by SIGKILL"));
    }
}
