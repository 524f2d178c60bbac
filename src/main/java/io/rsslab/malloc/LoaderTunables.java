package io.rsslab.malloc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tunables the dynamic loader will give a child, asked of the loader
 * itself: "ld.so --list-tunables" run under exactly the child's environment.
 */
public final class LoaderTunables {

    /** The x86-64 glibc loader's fixed path (PT_INTERP of every x86-64 executable). */
    static final Path LOADER = Path.of("/lib64/ld-linux-x86-64.so.2");

    private LoaderTunables() {
    }

    /** name -> tunable, as the loader reports them with extraEnv added to this process's environment. */
    public static Map<String, Tunable> read(Map<String, String> extraEnv) throws IOException {
        if (!Files.isExecutable(LOADER)) {
            throw new IOException(LOADER + " is missing: cannot ask glibc's loader for its tunables");
        }
        ProcessBuilder pb = new ProcessBuilder(LOADER.toString(), "--list-tunables");
        pb.environment().putAll(extraEnv);
        // The loader only prints; a preloaded allocator is irrelevant to what it reports.
        pb.environment().remove("LD_PRELOAD");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(LOADER + " --list-tunables failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the loader for tunables", e);
        }
        return parse(out);
    }

    static Map<String, Tunable> parse(String listing) {
        Map<String, Tunable> m = new LinkedHashMap<>();
        listing.lines().map(Tunable::parse).flatMap(Optional::stream).forEach(t -> m.put(t.name(), t));
        return m;
    }
}
