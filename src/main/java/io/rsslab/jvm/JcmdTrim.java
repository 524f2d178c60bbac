package io.rsslab.jvm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** jcmd PID System.trim_native_heap, with the jcmd beside the chosen java; its output is kept. */
public final class JcmdTrim {

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
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "System.trim_native_heap")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "jcmd did not finish in 60 s";
            }
            String text = String.join(" | ", out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList());
            return p.exitValue() == 0 ? text : "jcmd failed (exit " + p.exitValue() + "): " + text;
        } catch (IOException e) {
            return "jcmd could not run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
