package io.rsslab.machine;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What memory the machine can give a child now: MemAvailable, and the
 * memory cgroup of this process (v1 memory.limit_in_bytes, hierarchical,
 * or v2 memory.max) less what the cgroup already uses.
 */
public record MemoryFigures(long memAvailableKb, long cgroupLimitKb, long cgroupUsageKb, String cgroup,
        long rlimitAsKb) {

    /** Runs are admitted only within 90% of what is available. */
    public static final double MARGIN = 0.10;

    /** No cgroup limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** v1 reports "no limit" as a huge page-rounded number; anything above 2^60 is no limit. */
    private static final long V1_UNLIMITED = 1L << 60;

    public static MemoryFigures read() {
        return read(Path.of("/"));
    }

    static MemoryFigures read(Path root) {
        MemoryFigures m = readCgroup(root);
        return new MemoryFigures(m.memAvailableKb, m.cgroupLimitKb, m.cgroupUsageKb, m.cgroup,
                rlimitAs(new ProcFiles(root)));
    }

    /** RLIMIT_AS from /proc/self/limits ("Max address space  unlimited  unlimited  bytes"). */
    private static long rlimitAs(ProcFiles f) {
        for (String line : f.lines("/proc/self/limits")) {
            if (line.startsWith("Max address space")) {
                String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? UNLIMITED : bytesOrUnlimited(soft) / 1024;
            }
        }
        return UNLIMITED;
    }

    private static MemoryFigures readCgroup(Path root) {
        ProcFiles f = new ProcFiles(root);
        long avail = f.kbField("/proc/meminfo", "MemAvailable");
        return MemoryCgroup.of(f).map(cg -> cg.v1()
                ? of(f, avail, cg, "memory.limit_in_bytes", "memory.usage_in_bytes")
                : of(f, avail, cg, "memory.max", "memory.current"))
                .orElse(new MemoryFigures(avail, UNLIMITED, 0, "none", UNLIMITED));
    }

    private static MemoryFigures of(ProcFiles f, long avail, MemoryCgroup cg, String limitFile, String usageFile) {
        long limit = UNLIMITED;
        String dir = cg.path();
        // Every ancestor's limit applies (hierarchical accounting): the lowest wins.
        while (true) {
            limit = Math.min(limit, f.read(cg.dir(dir) + "/" + limitFile).map(MemoryFigures::bytesOrUnlimited)
                    .orElse(UNLIMITED));
            if (dir.equals("/") || dir.isEmpty()) {
                break;
            }
            dir = dir.substring(0, Math.max(1, dir.lastIndexOf('/')));
        }
        long usage = f.read(cg.dir() + "/" + usageFile).map(MemoryFigures::bytesOrUnlimited).orElse(0L);
        return new MemoryFigures(avail, limit == UNLIMITED ? UNLIMITED : limit / 1024,
                usage == UNLIMITED ? 0 : usage / 1024, cg.describe(), UNLIMITED);
    }

    private static long bytesOrUnlimited(String s) {
        if (s.equals("max")) {
            return UNLIMITED;
        }
        try {
            long v = Long.parseLong(s);
            return v >= V1_UNLIMITED ? UNLIMITED : v;
        } catch (NumberFormatException e) {
            return UNLIMITED;
        }
    }

    /** What the machine can give, before the margin: the lowest of MemAvailable, the cgroup's room, RLIMIT_AS. */
    public long availableKb() {
        long cgroupRoom = cgroupLimitKb == UNLIMITED ? UNLIMITED : Math.max(0, cgroupLimitKb - cgroupUsageKb);
        long mem = memAvailableKb < 0 ? UNLIMITED : memAvailableKb;
        return Math.min(Math.min(mem, cgroupRoom), rlimitAsKb);
    }

    /** What runs may declare in total: available less the 10% margin. */
    public long budgetKb() {
        long a = availableKb();
        return a == UNLIMITED ? UNLIMITED : (long) (a * (1 - MARGIN));
    }

    /** One phrase: the figures and where they come from. */
    public String describe() {
        String mem = "MemAvailable " + size(memAvailableKb);
        String cg = cgroupLimitKb == UNLIMITED ? "memory cgroup " + cgroup + " has no limit"
                : "memory cgroup " + cgroup + " limit " + size(cgroupLimitKb) + ", " + size(cgroupUsageKb) + " in use";
        String as = rlimitAsKb == UNLIMITED ? "RLIMIT_AS unlimited" : "RLIMIT_AS " + size(rlimitAsKb);
        return mem + ", " + cg + ", " + as;
    }

    /** A size in the unit that shows it: MiB below 10 GiB (160 MiB, not 0.2 GiB), GiB with one decimal above. */
    public static String size(long kb) {
        return kb < 10L * 1024 * 1024 ? String.format(Locale.ROOT, "%d MiB", Math.round(kb / 1024.0))
                : String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
    }
}
