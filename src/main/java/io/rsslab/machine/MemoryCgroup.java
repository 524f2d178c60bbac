package io.rsslab.machine;

import java.util.Optional;

/**
 * This process's memory cgroup, from /proc/self/cgroup: the v1 memory
 * controller's line, else the v2 unified line.
 */
record MemoryCgroup(String version, String path, String mount) {

    static Optional<MemoryCgroup> of(ProcFiles f) {
        for (String line : f.lines("/proc/self/cgroup")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && parts[1].equals("memory")) {
                return Optional.of(new MemoryCgroup("v1", parts[2], "/sys/fs/cgroup/memory"));
            }
        }
        for (String line : f.lines("/proc/self/cgroup")) {
            if (line.startsWith("0::")) {
                return Optional.of(new MemoryCgroup("v2", line.substring(3), "/sys/fs/cgroup"));
            }
        }
        return Optional.empty();
    }

    /** The cgroup's folder, or an ancestor's when given one of its ancestors' paths. */
    String dir(String cgroupPath) {
        return mount + (cgroupPath.equals("/") ? "" : cgroupPath);
    }

    String dir() {
        return dir(path);
    }

    boolean v1() {
        return version.equals("v1");
    }

    String describe() {
        return version + " " + path;
    }
}
