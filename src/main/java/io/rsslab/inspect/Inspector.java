package io.rsslab.inspect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.malloc.MallocSettings;

/**
 * rsslab inspect: an exact, read-only ledger of a running process's malloc
 * memory. It reads /proc/PID (smaps, pagemap, mem), never writes to the
 * process, and never reads a page that is not resident, so the process's
 * RSS does not change. Without --stop the heaps are walked twice and the
 * ledger is consistent when both walks agree (retried a few times while the
 * process is busy); with --stop the process is frozen (SIGSTOP) for one exact
 * walk and always let go (SIGCONT), also on an error or Ctrl-C.
 */
public final class Inspector {

    private Inspector() {
    }

    /**
     * The readers: those ServiceLoader finds (glibc's walk, in
     * io.rsslab.inspect.glibc) and the allocators recognised but not read.
     */
    static List<HeapReader> readers() {
        List<HeapReader> all = new ArrayList<>(List.of(UnwalkedAllocator.values()));
        ServiceLoader.load(HeapReader.class, Inspector.class.getClassLoader()).forEach(all::add);
        return all;
    }

    /** The reader of the allocator that serves malloc in a process mapping these files. */
    static Optional<HeapReader> reader(List<String> mappedFiles) {
        return readers().stream().filter(r -> r.recognises(mappedFiles)).min(Comparator.comparing(r -> !r.interposes()));
    }

    public static Ledger inspect(long pid, boolean stop) throws InspectException {
        Target t = Target.open(pid);
        List<Mapping> maps = t.smaps();
        String libc = libc(t, maps);
        List<String> files = Target.mappedFiles(maps);
        HeapReader reader = reader(files).orElseThrow(() -> new InspectException("process " + pid
                + ": no allocator inspect knows serves malloc"));
        String version = t.glibcVersion(libc);
        Map<String, String> env = t.environment();
        boolean jvm = files.stream().anyMatch(f -> f.endsWith("/libjvm.so"));
        List<String> unclosed = new ArrayList<>();
        while (true) {
            Freezer freezer = stop ? Freezer.stop(t) : null;
            try {
                Optional<HeapReader.Reading> r = reader.read(t, version, stop);
                Long micros = freezer == null ? null : freezer.release();
                return r.isPresent() ? ledger(t, r.get(), reader.allocator(), version, env, jvm, micros)
                        : regionsOnly(t, reader.allocator(), version, env, jvm, micros);
            } catch (HeapReader.Unclosed e) {
                unclosed.add(e.getMessage());
            } finally {
                if (freezer != null) {
                    freezer.release();
                }
            }
            if (unclosed.size() == STOPS) {
                throw new InspectException(unclosed.stream().distinct().count() == 1
                        ? "the heap of process " + pid + " is not laid out as inspect models " + reader.allocator()
                                + " " + version + " (the same in " + STOPS + " readings standing still): "
                                + unclosed.get(0)
                        : "process " + pid + " was stopped inside malloc each of " + STOPS + " times (its heap was "
                                + "halfway through a change; the last: " + unclosed.get(STOPS - 1) + "); try again");
            }
            // Stopped inside malloc, perhaps: let it finish what it was writing, and stop it again.
            pause(10L << unclosed.size());
        }
    }

    /** Readings standing still before a heap that never closes is refused. */
    static final int STOPS = 3;

    /** Sleeps between two readings; interrupted, the inspection ends. */
    public static void pause(long millis) throws InspectException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectException("interrupted");
        }
    }

    /** The C library the process maps: glibc's libc.so.6; musl or a static binary is refused. */
    private static String libc(Target t, List<Mapping> maps) throws InspectException {
        List<String> files = Target.mappedFiles(maps);
        if (files.stream().anyMatch(f -> f.contains("ld-musl"))) {
            throw new InspectException("process " + t.pid() + " runs on musl, not glibc: inspect reads glibc's heap");
        }
        return files.stream().filter(f -> f.endsWith("/libc.so.6") || f.matches(".*/libc-2\\.\\d+\\.so"))
                .findFirst().orElseThrow(() -> new InspectException("process " + t.pid() + " maps no libc.so.6 "
                        + "(statically linked, or not glibc): inspect reads the heap of a dynamically linked glibc"));
    }

    /** An allocator whose heaps are not read: the regions smaps can tell. */
    private static Ledger regionsOnly(Target t, String allocator, String version, Map<String, String> env,
            boolean jvm, Long micros) throws InspectException {
        long rss = t.vmRssKb();
        List<Mapping> maps = t.smaps();
        List<String> files = Target.mappedFiles(maps);
        Regions r = regions(maps, Map.of());
        Ledger.Context ctx = context(t, files, env, 0, jvm, Ledger.Settings.UNKNOWN, List.of(allocator + " serves malloc: its heap is not walked, "
                + "and what it keeps free is not known to inspect"));
        return new Ledger(t.pid(), t.command(), allocator, version, rss, r.mainHeap(), r.otherAnon(), r.file(),
                rss - r.mainHeap() - r.otherAnon() - r.file(), Optional.empty(), micros, ctx);
    }

    /** smaps' resident kB: the main heap, other anonymous memory (less what counted covers), file-backed. */
    private record Regions(long mainHeap, long otherAnon, long file) {
    }

    /** counted: resident pages already given to heaps or chunks, by an address inside their mapping. */
    private static Regions regions(List<Mapping> maps, Map<Long, Long> counted) {
        long mainHeap = 0;
        long file = 0;
        long otherAnon = 0;
        for (Mapping m : maps) {
            if (m.heap()) {
                mainHeap += m.rssKb();
            } else if (!m.anonymous()) {
                file += m.rssKb();
            } else {
                long pages = counted.entrySet().stream().filter(e -> m.contains(e.getKey()))
                        .mapToLong(Map.Entry::getValue).sum();
                otherAnon += Math.max(0, m.rssKb() - pages * 4);
            }
        }
        return new Regions(mainHeap, otherAnon, file);
    }

    private static Ledger ledger(Target t, HeapReader.Reading reading, String allocator, String version,
            Map<String, String> env, boolean jvm, Long micros) throws InspectException {
        Regions r = regions(reading.maps(), reading.countedPages());
        Ledger.Heaps h = reading.heaps();
        long unexplained = reading.rssKb() - r.mainHeap() - h.threadHeapsKb() - h.mmappedChunksKb() - r.otherAnon()
                - r.file();
        Ledger.Context ctx = context(t, Target.mappedFiles(reading.maps()), env, h.arenas().size(), jvm,
                h.settings(), h.notes());
        return new Ledger(t.pid(), t.command(), allocator, version, reading.rssKb(), r.mainHeap(), r.otherAnon(),
                r.file(), unexplained, Optional.of(h), micros, ctx);
    }

    /**
     * The settings in the process's environment at start, its arenas against
     * the limit glibc will use (arena_get2: MALLOC_ARENA_MAX, else 8 x the
     * online CPUs glibc counts), and a container's CPU quota where it is far
     * below those CPUs.
     */
    private static Ledger.Context context(Target t, List<String> files, Map<String, String> env, int arenas,
            boolean jvm, Ledger.Settings live, List<String> notes) {
        List<String> settings = new ArrayList<>();
        env.forEach((k, v) -> {
            if (MallocSettings.isMallocVariable(k)) {
                settings.add(k + "=" + v);
            }
        });
        int online = CpuCount.online();
        Integer arenaMax = MallocSettings.arenaMax(env);
        int limit = arenaMax != null ? arenaMax : 8 * online;
        String source = arenaMax != null ? "MALLOC_ARENA_MAX or glibc.malloc.arena_max"
                : "8 x " + online + " online CPUs (/sys/devices/system/cpu/online, as glibc counts them)";
        Double quota = CpuCount.quota(t.pid());
        List<String> all = new ArrayList<>(notes);
        if (quota != null && quota < online / 2.0 && arenaMax == null) {
            all.add(String.format(Locale.ROOT, "the process's cgroup allows %.1f CPUs, but glibc allows "
                    + "%d arenas from the %d CPUs it sees", quota, limit, online));
        }
        String jvmVersion = null;
        Boolean trimInterval = null;
        if (jvm) {
            try {
                // The target's own java, asked as rsslab asks any JVM (-XX:+PrintFlagsFinal), never the target itself.
                JavaRuntime java = JavaRuntime.probe(Path.of("/proc", Long.toString(t.pid()), "exe").toRealPath());
                jvmVersion = java.version();
                trimInterval = java.has("TrimNativeHeapInterval");
            } catch (IOException | IllegalArgumentException e) {
                all.add("the process's java could not be asked for its flags: " + e.getMessage());
            }
        }
        return new Ledger.Context(List.copyOf(settings), Requests.judge(live, env), arenas, limit, source, quota, online, jvm, jvmVersion,
                trimInterval, ProgramAllocator.detect(t.pid(), files), List.copyOf(all));
    }

    /** The process's VmRSS now, kB. */
    public static long vmRssKb(long pid) throws InspectException {
        return Target.open(pid).vmRssKb();
    }

    /** jcmd PID System.trim_native_heap with the jcmd of the target's own JVM (jvm.JcmdTrim); what it said. */
    public static String jcmdTrim(long pid) throws InspectException {
        JavaRuntime java;
        try {
            java = JavaRuntime.probe(Path.of("/proc", Long.toString(pid), "exe").toRealPath());
        } catch (IOException | IllegalArgumentException e) {
            throw new InspectException("cannot find process " + pid + "'s java: " + e.getMessage());
        }
        JcmdTrim jcmd = new JcmdTrim(java);
        if (!jcmd.available()) {
            throw new InspectException("no jcmd beside process " + pid + "'s java (" + java.java() + ")");
        }
        return jcmd.trim(pid);
    }
}
