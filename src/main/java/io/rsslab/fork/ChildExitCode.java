package io.rsslab.fork;

import java.util.Arrays;
import java.util.Optional;

/**
 * The exit codes of rsslab's children, as src/main/c/exit_codes.h defines
 * them for the probe, the JNI entry point and ForkedMain (a test reads that
 * header and checks that both agree).
 */
public enum ChildExitCode {
    OK(0, "done"),
    MALLOC_FAILED(1, "malloc returned NULL, as the article's program reports it"),
    USAGE(2, "the child refused its arguments"),
    OUTPUT_FAILED(3, "a record could not be written"),
    NATIVE_UNAVAILABLE(4, "the child JVM could not load librsslab.so"),
    PROC_FAILED(5, "a /proc reading failed"),
    SCENARIO_INVALID(6, "the scenario asks for more live blocks than the loop holds"),
    REFUSED(7, "the injector refused to touch the process"),
    EXEC_FAILED(127, "the command could not be started");

    private final int code;
    private final String meaning;

    ChildExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    /** The name exit_codes.h gives it, e.g. RSSLAB_EXIT_PROC_FAILED. */
    public String cName() {
        return "RSSLAB_EXIT_" + name();
    }

    public static Optional<ChildExitCode> of(int code) {
        return Arrays.stream(values()).filter(c -> c.code == code).findFirst();
    }
}
