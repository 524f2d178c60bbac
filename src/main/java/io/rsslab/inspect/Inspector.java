package io.rsslab.inspect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.machine.ExternalCommand;
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

    /** Tries at two agreeing walks before the ledger is given as not consistent. */
    static final int TRIES = 5;

    private static final List<String> OTHER_ALLOCATORS = List.of("jemalloc", "tcmalloc", "mimalloc", "hoard",
            "tbbmalloc", "snmalloc");

    private Inspector() {
    }

    public static Ledger inspect(long pid, boolean stop) throws InspectException {
        Target t = Target.open(pid);
        List<Mapping> maps = t.smaps();
        String libc = libc(t, maps);
        String allocator = allocator(maps);
        String version = t.glibcVersion(libc);
        Map<String, String> env = t.environment();
        boolean jvm = Target.mappedFiles(maps).stream().anyMatch(f -> f.endsWith("/libjvm.so"));
        if (!allocator.equals("glibc")) {
            return regionsOnly(t, maps, allocator, version, env, jvm);
        }
        String[] v = version.split("\\.");
        GlibcLayout layout = GlibcLayout.of(Integer.parseInt(v[0]), Integer.parseInt(v[1]));
        if (layout == null) {
            throw new InspectException("process " + pid + " runs glibc " + version + ", whose heap layout inspect "
                    + "does not model (2.27 to 2.40)");
        }
        try (ProcMemory memory = openMemory(t)) {
            return stop ? frozen(t, memory, layout, version, allocator, env, jvm)
                    : twice(t, memory, layout, version, allocator, env, jvm);
        } catch (IOException e) {
            throw new InspectException("cannot read process " + pid + ": " + e.getMessage());
        }
    }

    private static ProcMemory openMemory(Target t) throws InspectException {
        try {
            return new ProcMemory(t.pid());
        } catch (AccessDeniedException e) {
            throw t.notReadable("mem");
        } catch (IOException e) {
            throw new InspectException("cannot open process " + t.pid() + "'s memory: " + e.getMessage());
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

    /** glibc, or the other allocator the process maps (LD_PRELOAD or linked). */
    private static String allocator(List<Mapping> maps) {
        for (String f : Target.mappedFiles(maps)) {
            String file = f.substring(f.lastIndexOf('/') + 1);
            for (String a : OTHER_ALLOCATORS) {
                if (file.startsWith("lib" + a)) {
                    return a;
                }
            }
        }
        return "glibc";
    }

    /** Walks twice until two walks agree; consistent when they did. */
    private static Ledger twice(Target t, ProcMemory memory, GlibcLayout layout, String version, String allocator,
            Map<String, String> env, boolean jvm) throws InspectException, IOException {
        LayoutException last = null;
        boolean differed = false;
        Snapshot previous = null;
        List<Mapping> previousMaps = null;
        long previousRss = 0;
        for (int i = 0; i < TRIES; i++) {
            if (i > 0) {
                pause(20L << i);
            }
            long rss = t.vmRssKb();
            List<Mapping> maps = t.smaps();
            try {
                long t0 = System.nanoTime();
                Snapshot s = Snapshot.take(memory, layout, maps);
                s.micros = (System.nanoTime() - t0) / 1000;
                if (previous != null && previous.sameAs(s) && previousRss == rss) {
                    return ledger(t, maps, s, rss, allocator, version, env, jvm, true, i + 1, null);
                }
                differed |= previous != null || last != null;
                previous = s;
                previousMaps = maps;
                previousRss = rss;
            } catch (LayoutException e) {
                differed |= previous != null || last != null && !last.getMessage().equals(e.getMessage());
                last = e;
                previous = null;
            }
        }
        if (previous == null && !differed) {
            // The same refusal every time: the layout, not a change in the process.
            throw new InspectException("the heap of process " + t.pid() + " is not laid out as inspect models glibc "
                    + version + " (the same in " + TRIES + " walks): " + last.getMessage());
        }
        if (previous == null) {
            throw new InspectException("the heap of process " + t.pid() + " changed while it was read (" + TRIES
                    + " walks differed; the last: " + last.getMessage() + "); --stop freezes it for an exact walk");
        }
        return ledger(t, previousMaps, previous, previousRss, allocator, version, env, jvm, false, TRIES, null);
    }

    /** A busy process may be between two mallocs a moment later: wait a little longer each try. */
    private static void pause(long millis) throws InspectException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectException("interrupted");
        }
    }

    /** SIGSTOP, one walk, SIGCONT (always, unless the process was stopped already). */
    private static Ledger frozen(Target t, ProcMemory memory, GlibcLayout layout, String version, String allocator,
            Map<String, String> env, boolean jvm) throws InspectException, IOException {
        Freezer freezer = Freezer.stop(t);
        try {
            long rss = t.vmRssKb();
            List<Mapping> maps = t.smaps();
            Snapshot s;
            try {
                long t0 = System.nanoTime();
                s = Snapshot.take(memory, layout, maps);
                s.micros = (System.nanoTime() - t0) / 1000;
            } catch (LayoutException e) {
                throw new InspectException("the heap of process " + t.pid() + " is not laid out as inspect models glibc "
                        + version + " (read standing still, --stop): " + e.getMessage());
            }
            long micros = freezer.release();
            return ledger(t, maps, s, rss, allocator, version, env, jvm, true, 1, micros);
        } finally {
            freezer.release();
        }
    }

    /** Another allocator: the regions smaps can tell, no walk. */
    private static Ledger regionsOnly(Target t, List<Mapping> maps, String allocator, String version,
            Map<String, String> env, boolean jvm) throws InspectException {
        long rss = t.vmRssKb();
        Regions r = regions(maps, Map.of());
        Ledger.Context ctx = context(t, env, 0, jvm, List.of(allocator + " serves malloc: its heap is not walked, "
                + "and what it keeps free is not known to inspect"));
        return new Ledger(t.pid(), t.command(), allocator, version, rss, List.of(), r.mainHeap(), null, null, 0,
                r.otherAnon(), r.file(), rss - r.mainHeap() - r.otherAnon() - r.file(), null, null, null, true, 0, null,
                0, ctx);
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

    private static Ledger ledger(Target t, List<Mapping> maps, Snapshot s, long rss, String allocator, String version,
            Map<String, String> env, boolean jvm, boolean consistent, int walks, Long micros) throws InspectException {
        Regions r = regions(maps, s.countedPages);
        long mainHeap = r.mainHeap();
        long file = r.file();
        long otherAnon = r.otherAnon();
        List<ArenaLedger> arenas = new ArrayList<>();
        long mtrim = 0;
        long systrim = 0;
        long threadTop = 0;
        for (Snapshot.Arena a : s.arenas) {
            HeapWalk w = a.walk();
            arenas.add(new ArenaLedger(a.main() ? "main" : "thread", a.main() ? 1 : a.heaps().size(),
                    a.mappedBytes() / 1024, a.main() ? mainHeapRss(maps) : a.residentPages() * 4, w.inUseBytes() / 1024,
                    w.freeBytes() / 1024, w.freeResidentPages() * 4, w.topBytes() / 1024, w.topResidentPages() * 4,
                    w.chunks()));
            mtrim += w.mtrimPages();
            systrim += w.systrimPages();
            if (!a.main()) {
                threadTop += w.topResidentPages();
            }
        }
        long threadHeaps = s.threadHeapResidentPages * 4;
        long mmapped = s.mmappedResidentPages * 4;
        long unexplained = rss - mainHeap - threadHeaps - mmapped - otherAnon - file;
        List<String> notes = new ArrayList<>(List.of("tcache and fastbin chunks are counted in use: glibc marks them "
                + "so (malloc_trim consolidates the fastbins first, so it may return a little more than predicted)"));
        for (Snapshot.Arena a : s.arenas) {
            if (a.walk().foreignBytes() > 0) {
                notes.add(String.format(Locale.ROOT, "the main heap holds %d KiB between two of glibc's regions that "
                        + "are not glibc's (a foreign sbrk, after sysmalloc's double fencepost): not read as chunks",
                        (a.walk().foreignBytes() + 1023) / 1024));
            }
            if (a.walk().elsewhere()) {
                notes.add("the main heap ends in sysmalloc's double fencepost: the main arena went on in mmapped memory "
                        + "(sbrk could not grow), which is counted as other anonymous memory and not walked");
            }
        }
        Ledger.Context ctx = context(t, env, arenas.size(), jvm, notes);
        return new Ledger(t.pid(), t.command(), allocator, version, rss, List.copyOf(arenas), mainHeap, threadHeaps,
                mmapped, s.mmappedChunks, otherAnon, file, unexplained, (mtrim + systrim) * 4, systrim * 4,
                threadTop * 4, consistent, walks, micros, s.micros, ctx);
    }

    private static long mainHeapRss(List<Mapping> maps) {
        return maps.stream().filter(Mapping::heap).mapToLong(Mapping::rssKb).sum();
    }

    /**
     * The settings in the process's environment at start, its arenas against
     * the limit glibc will use (arena_get2: MALLOC_ARENA_MAX, else 8 x the
     * online CPUs glibc counts), and a container's CPU quota where it is far
     * below those CPUs.
     */
    private static Ledger.Context context(Target t, Map<String, String> env, int arenas, boolean jvm,
            List<String> notes) {
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
        return new Ledger.Context(List.copyOf(settings), arenas, limit, source, quota, online, jvm, jvmVersion,
                trimInterval, List.copyOf(all));
    }

    /** The process's VmRSS now, kB. */
    public static long vmRssKb(long pid) throws InspectException {
        return Target.open(pid).vmRssKb();
    }

    /** jcmd PID System.trim_native_heap with the jcmd of the target's own JVM; what it said. */
    public static String jcmdTrim(long pid) throws InspectException {
        Path exe;
        try {
            exe = Path.of("/proc", Long.toString(pid), "exe").toRealPath();
        } catch (IOException e) {
            throw new InspectException("cannot find process " + pid + "'s java: " + e.getMessage());
        }
        Path jcmd = exe.resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new InspectException("no jcmd beside process " + pid + "'s java (" + exe + ")");
        }
        try {
            ExternalCommand.Result r = ExternalCommand.run(List.of(jcmd.toString(), Long.toString(pid),
                    "System.trim_native_heap"), Map.of(), Duration.ofSeconds(60), "jcmd");
            String text = String.join(" | ", (r.out() + r.err()).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList());
            return r.exit() == 0 ? text : "jcmd failed (exit " + r.exit() + "): " + text;
        } catch (IOException e) {
            throw new InspectException("jcmd did not run: " + e.getMessage());
        }
    }
}
