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
        for (String line : f.lines("/proc/self/cgroup")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && parts[1].equals("memory")) {
                String dir = "/sys/fs/cgroup/memory" + (parts[2].equals("/") ? "" : parts[2]);
                return new OomCounter(f, dir + "/memory.oom_control", "v1 " + parts[2]);
            }
        }
        for (String line : f.lines("/proc/self/cgroup")) {
            if (line.startsWith("0::")) {
                String path = line.substring(3);
                return new OomCounter(f, "/sys/fs/cgroup" + (path.equals("/") ? "" : path) + "/memory.events",
                        "v2 " + path);
            }
        }
        return new OomCounter(f, null, "none");
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
