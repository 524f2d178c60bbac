package io.rsslab.jvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.rsslab.machine.ExternalCommand;

/** jcmd PID System.trim_native_heap, with the jcmd beside the chosen java; its output is kept. */
public final class JcmdTrim {

    /** jcmd attaches to the JVM and waits for the trim: seconds, not minutes. */
    static final Duration LIMIT = Duration.ofSeconds(60);

    private final Path jcmd;

    public JcmdTrim(JavaRuntime java) {
        this.jcmd = jcmdBeside(java.java());
    }

    static Path jcmdBeside(Path java) {
        return java.resolveSibling("jcmd");
    }

    public boolean available() {
        return Files.isExecutable(jcmd);
    }

    public Path jcmd() {
        return jcmd;
    }

    /** Asks the JVM with that pid to trim its native heap; what jcmd said, on one line. */
    public String trim(long pid) {
        try {
            ExternalCommand.Result r = ExternalCommand.run(List.of(jcmd.toString(), Long.toString(pid),
                    "System.trim_native_heap"), Map.of(), LIMIT, "jcmd");
            String text = String.join(" | ", (r.out() + r.err()).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList());
            return r.exit() == 0 ? text : "jcmd failed (exit " + r.exit() + "): " + text;
        } catch (IOException e) {
            return e instanceof ExternalCommand.TimedOut ? e.getMessage() : "jcmd could not run: " + e.getMessage();
        }
    }
}
