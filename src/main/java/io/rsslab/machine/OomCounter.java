package io.rsslab.machine;

import java.nio.file.Path;

/**
 * The OOM kills counted by this process's memory cgroup (v1 memory.oom_control
 * "oom_kill", v2 memory.events "oom_kill"): children run in the same cgroup,
 * so a rise while a child ran says the OOM killer acted.
 */
public final class OomCounter {

    private final ProcFiles files;
    private final String file;
    private final String cgroup;

    private OomCounter(ProcFiles files, String file, String cgroup) {
        this.files = files;
        this.file = file;
        this.cgroup = cgroup;
    }

    public static OomCounter forThisProcess() {
        return of(Path.of("/"));
    }

    static OomCounter of(Path root) {
        ProcFiles f = new ProcFiles(root);
        return MemoryCgroup.of(f)
                .map(cg -> new OomCounter(f, cg.dir() + (cg.v1() ? "/memory.oom_control" : "/memory.events"),
                        cg.describe()))
                .orElse(new OomCounter(f, null, "none"));
    }

    /** The count now, or -1 where the kernel does not say. */
    public long count() {
        if (file == null) {
            return -1;
        }
        for (String line : files.lines(file)) {
            if (line.startsWith("oom_kill ")) {
                try {
                    return Long.parseLong(line.substring("oom_kill ".length()).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    public String cgroup() {
        return cgroup;
    }
}
