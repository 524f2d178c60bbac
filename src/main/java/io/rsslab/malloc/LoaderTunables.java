package io.rsslab.malloc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.rsslab.machine.ExternalCommand;

/**
 * The tunables the dynamic loader will give a child, asked of the loader
 * itself: "ld.so --list-tunables" run under exactly the child's environment.
 */
public final class LoaderTunables {

    /** The x86-64 glibc loader's fixed path (PT_INTERP of every x86-64 executable). */
    static final Path LOADER = Path.of("/lib64/ld-linux-x86-64.so.2");

    /** The loader lists its tunables in milliseconds. */
    static final Duration LIMIT = Duration.ofSeconds(10);

    private LoaderTunables() {
    }

    /** name -> tunable, as the loader reports them with extraEnv added to this process's environment. */
    public static Map<String, Tunable> read(Map<String, String> extraEnv) throws IOException {
        if (!Files.isExecutable(LOADER)) {
            throw new IOException(LOADER + " is missing: cannot ask glibc's loader for its tunables");
        }
        Map<String, String> env = new HashMap<>(extraEnv);
        // The loader only prints; a preloaded allocator is irrelevant to what it reports.
        env.put("LD_PRELOAD", null);
        ExternalCommand.Result r = ExternalCommand.run(List.of(LOADER.toString(), "--list-tunables"), env, LIMIT,
                LOADER + " --list-tunables");
        if (r.exit() != 0) {
            throw new IOException(LOADER + " --list-tunables failed: " + (r.out() + r.err()).strip());
        }
        return parse(r.out());
    }

    static Map<String, Tunable> parse(String listing) {
        Map<String, Tunable> m = new LinkedHashMap<>();
        listing.lines().map(Tunable::parse).flatMap(Optional::stream).forEach(t -> m.put(t.name(), t));
        return m;
    }
}
