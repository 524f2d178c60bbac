package io.rsslab.inspect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CPUs glibc counts for its arena limit, and a process's cgroup CPU quota. */
final class CpuCount {

    private CpuCount() {
    }

    /** /sys/devices/system/cpu/online ("0-1,4"), as glibc's __get_nprocs reads it; the JVM's count if absent. */
    static int online() {
        try {
            int n = 0;
            for (String part : Files.readString(Path.of("/sys/devices/system/cpu/online")).strip().split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The CPUs the process's cgroup allows (v2 cpu.max, v1 cpu.cfs_quota_us / period), or null for no quota. */
    static Double quota(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length < 3) {
                    continue;
                }
                if (f[0].equals("0") && f[1].isEmpty()) {
                    Path max = Path.of("/sys/fs/cgroup" + f[2], "cpu.max");
                    if (Files.isReadable(max)) {
                        String[] q = Files.readString(max).strip().split(" ");
                        return q[0].equals("max") ? null : Double.parseDouble(q[0]) / Double.parseDouble(q[1]);
                    }
                } else if (f[1].contains("cpu") && !f[1].contains("cpuset")) {
                    Path dir = Path.of("/sys/fs/cgroup/" + f[1] + f[2]);
                    Path q = dir.resolve("cpu.cfs_quota_us");
                    if (Files.isReadable(q)) {
                        long quota = Long.parseLong(Files.readString(q).strip());
                        long period = Long.parseLong(Files.readString(dir.resolve("cpu.cfs_period_us")).strip());
                        return quota <= 0 ? null : (double) quota / period;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
