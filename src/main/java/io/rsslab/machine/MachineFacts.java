package io.rsslab.machine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The facts about this machine that decide how malloc behaves, for environment.csv. */
public final class MachineFacts {

    private MachineFacts() {
    }

    public static List<Fact> collect(String javaCommand) {
        return collect(Path.of("/"), javaCommand);
    }

    /** This machine's glibc version ("2.36"), as getconf GNU_LIBC_VERSION says; empty when it cannot tell. */
    public static String glibcVersion() {
        return command("getconf", "GNU_LIBC_VERSION").replace("glibc ", "");
    }

    static List<Fact> collect(Path root, String javaCommand) {
        ProcFiles f = new ProcFiles(root);
        List<Fact> facts = new ArrayList<>();
        add(facts, "hostname", f.read("/proc/sys/kernel/hostname").orElse(""), "/proc/sys/kernel/hostname");
        add(facts, "kernel", f.read("/proc/sys/kernel/osrelease").orElse(""), "/proc/sys/kernel/osrelease");
        add(facts, "distribution", osRelease(f), "/etc/os-release PRETTY_NAME");
        add(facts, "glibc", glibcVersion(), "getconf GNU_LIBC_VERSION");
        add(facts, "cpu_model", cpuModel(f), "/proc/cpuinfo");
        add(facts, "cpu_cores", Integer.toString(Runtime.getRuntime().availableProcessors()),
                "available processors");
        add(facts, "mem_total_kb", Long.toString(f.kbField("/proc/meminfo", "MemTotal")), "/proc/meminfo");
        MemoryFigures mem = MemoryFigures.read(root);
        add(facts, "mem_available_kb", Long.toString(mem.memAvailableKb()), "/proc/meminfo, at the start");
        add(facts, "transparent_hugepage", bracketed(f.read("/sys/kernel/mm/transparent_hugepage/enabled").orElse("")),
                "/sys/kernel/mm/transparent_hugepage/enabled");
        add(facts, "overcommit_memory", f.read("/proc/sys/vm/overcommit_memory").orElse(""),
                "/proc/sys/vm/overcommit_memory (0 heuristic, 1 always, 2 never)");
        add(facts, "memory_cgroup", mem.cgroup(), "/proc/self/cgroup");
        add(facts, "memory_cgroup_limit_kb",
                mem.cgroupLimitKb() == MemoryFigures.UNLIMITED ? "unlimited" : Long.toString(mem.cgroupLimitKb()),
                "lowest limit on the cgroup's path");
        add(facts, "jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                javaCommand);
        return facts;
    }

    private static void add(List<Fact> facts, String name, String value, String note) {
        facts.add(new Fact("machine", name, value, note));
    }

    private static String osRelease(ProcFiles f) {
        for (String line : f.lines("/etc/os-release")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return "";
    }

    private static String cpuModel(ProcFiles f) {
        for (String line : f.lines("/proc/cpuinfo")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "";
    }

    /** "always [madvise] never" -> "madvise". */
    static String bracketed(String s) {
        int a = s.indexOf('[');
        int b = s.indexOf(']');
        return a >= 0 && b > a ? s.substring(a + 1, b) : s;
    }

    private static String command(String... cmd) {
        try {
            ExternalCommand.Result r = ExternalCommand.run(List.of(cmd), Map.of(), Duration.ofSeconds(10), cmd[0]);
            return r.exit() == 0 ? r.out().strip() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
