package io.rsslab.fork;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.nativelib.NativeLoader;

/**
 * The child's arguments: produced by ChildArgs, parsed by the same rules in
 * C (the probe, child_args.c) and Java (ForkedMain): the same table as
 * src/test/c/core_test.c, and both real children refuse the same inputs
 * with the same message and exit code.
 */
class ChildArgsTest {

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("no scenario given", List.of("--trim")),
                Arguments.of("--format takes records or seed", List.of("article-4", "--format", "xml")),
                Arguments.of("--format takes records or seed", List.of("article-4", "--format")),
                Arguments.of("--pause-after takes a round number", List.of("article-4", "--pause-after", "12abc")),
                Arguments.of("--pause-after takes a round number",
                        List.of("article-4", "--pause-after", "99999999999")),
                Arguments.of("--max-rounds takes a number of rounds, 1 or more",
                        List.of("article-4", "--max-rounds", "0")),
                Arguments.of("--malloc-info takes a path", List.of("article-4", "--malloc-info", "")),
                Arguments.of("an option is given twice", List.of("article-4", "--trim", "--trim")),
                Arguments.of("unknown option", List.of("article-4", "--bogus")),
                Arguments.of("unknown option", List.of("article-4", "extra")),
                Arguments.of("--format seed is the article's program: it cannot pause",
                        List.of("article-4", "--format", "seed", "--pause-after", "30")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void javaRefusesAsCDoes(String message, List<String> args) {
        ChildArgs.Refused e = assertThrows(ChildArgs.Refused.class, () -> ChildArgs.parse(args));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refused")
    void bothRealChildrenRefuseWithTheSameLineAndCode(String message, List<String> args) throws Exception {
        List<String> probe = new ArrayList<>(List.of(NativeLoader.probe().toString()));
        probe.addAll(args);
        List<String> jvm = new ArrayList<>(List.of(JavaRuntime.current().toString(), "-cp",
                ChildCommand.classPath(), ForkedMain.class.getName()));
        jvm.addAll(args);
        for (List<String> cmd : List.of(probe, jvm)) {
            Process p = new ProcessBuilder(cmd).redirectInput(Path.of("/dev/null").toFile()).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(ChildExitCode.USAGE.code(), p.waitFor(), cmd + ": " + err);
            assertTrue(err.lines().findFirst().orElse("").endsWith(": " + message), cmd + ": " + err);
        }
    }

    @Test
    void whatIsProducedParsesBackTheSame() throws ChildArgs.Refused {
        ChildArgs a = new ChildArgs("article-1", true, false, false, true, "/tmp/m.xml", 7, 2);
        assertEquals(a, ChildArgs.parse(a.toArgs()));
        ChildArgs b = new ChildArgs("article-4", false, true, true, false, null, null, null);
        assertEquals(b, ChildArgs.parse(b.toArgs()));
    }

    @Test
    void accepted() throws ChildArgs.Refused {
        assertEquals(-1, ChildArgs.parse(List.of("article-4", "--pause-after", "-1")).pauseAfter());
        assertEquals(2, ChildArgs.parse(List.of("article-1", "--max-rounds", "2", "--thread", "--no-explain"))
                .maxRounds());
    }
}
