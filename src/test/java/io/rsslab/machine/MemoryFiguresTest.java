package io.rsslab.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Memory figures read from fake /proc and cgroup trees. */
class MemoryFiguresTest {

    @TempDir
    Path root;

    void file(String path, String content) throws Exception {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void cgroupV1TheLowestLimitOnThePathWins() throws Exception {
        file("/proc/meminfo", "MemTotal: 24000000 kB\nMemAvailable: 20000000 kB\n");
        file("/proc/self/cgroup", "5:cpu:/\n4:memory:/a/b\n");
        file("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        file("/sys/fs/cgroup/memory/a/memory.limit_in_bytes", "8589934592\n");
        file("/sys/fs/cgroup/memory/a/b/memory.limit_in_bytes", "9223372036854771712\n");
        file("/sys/fs/cgroup/memory/a/b/memory.usage_in_bytes", "1073741824\n");
        MemoryFigures m = MemoryFigures.read(root);
        assertEquals(8L * 1024 * 1024, m.cgroupLimitKb());
        assertEquals(7L * 1024 * 1024, m.availableKb(), "8 GiB limit less 1 GiB in use, below MemAvailable");
        assertEquals((long) (7L * 1024 * 1024 * 0.9), m.budgetKb());
    }

    @Test
    void cgroupV2AndMemAvailable() throws Exception {
        file("/proc/meminfo", "MemAvailable: 3000000 kB\n");
        file("/proc/self/cgroup", "0::/user.slice/x\n");
        file("/sys/fs/cgroup/user.slice/x/memory.max", "max\n");
        file("/sys/fs/cgroup/user.slice/memory.max", "17179869184\n");
        file("/sys/fs/cgroup/user.slice/x/memory.current", "0\n");
        MemoryFigures m = MemoryFigures.read(root);
        assertEquals(16L * 1024 * 1024, m.cgroupLimitKb());
        assertEquals(3_000_000L, m.availableKb(), "MemAvailable is the lower");
        assertEquals(2_700_000L, m.budgetKb());
    }

    @Test
    void noCgroupMeansMemAvailableOnly() throws Exception {
        file("/proc/meminfo", "MemAvailable: 1000 kB\n");
        MemoryFigures m = MemoryFigures.read(root);
        assertEquals(MemoryFigures.UNLIMITED, m.cgroupLimitKb());
        assertEquals(900L, m.budgetKb());
    }
}
