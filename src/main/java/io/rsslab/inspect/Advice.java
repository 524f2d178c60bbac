package io.rsslab.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.rsslab.data.DataFiles;
import io.rsslab.malloc.MmapThreshold;

/**
 * The verdict (the mechanism, in one sentence) and what would help, as
 * lines to paste: for systemd, Kubernetes, a shell, a JVM; each remedy only
 * where its mechanism acts on a pattern the ledger found, with its cost
 * where rsslab measured it on the same pattern (data/remedy-costs.csv, which
 * says where, how and on which pattern), and the try that measures it on
 * the user's own program.
 */
public final class Advice {

    /** Less than this, or less than 5% of RSS, is not worth a remedy. */
    static final long WORTH_KB = 2048;

    /** One measured remedy: data/remedy-costs.csv. */
    record Cost(String variant, String host, String setting, double sysPct, double keptMib, double baselineKeptMib,
            String measured, String command, String pattern) {
    }

    private Advice() {
    }

    static List<Cost> costs() {
        return DataFiles.readCsv("remedy-costs.csv", r -> new Cost(r.get("variant"), r.get("host"), r.get("setting"),
                Double.parseDouble(r.get("sys_vs_baseline_pct")), Double.parseDouble(r.get("kept_mib")),
                Double.parseDouble(r.get("baseline_kept_mib")), r.get("measured"), r.get("command"), r.get("pattern")));
    }

    static long worth(Ledger l) {
        return Math.max(WORTH_KB, l.rssKb() / 20);
    }

    /**
     * The mechanism the ledger shows, in one sentence; then what an allocator
     * the program runs itself means for it.
     */
    public static String verdict(Ledger l) {
        String glibc = glibcVerdict(l);
        String threshold = thresholds(l.settings());
        glibc = threshold == null ? glibc : glibc + "; " + threshold;
        long inUse = l.arenas().stream().mapToLong(ArenaLedger::inUseKb).sum();
        List<String> inside = l.context().programAllocators().stream()
                .map(a -> a.explain(inUse, l.otherAnonKb())).toList();
        return inside.isEmpty() ? glibc : glibc + "; inside the program: " + String.join("; ", inside);
    }

    /**
     * What the live thresholds mean (malloc.c, 2.36: __libc_free raises
     * mmap_threshold to an mmapped chunk it frees, up to 32 MiB, and
     * trim_threshold to twice that, while no_dyn_threshold is 0); null when
     * mp_ was not read.
     */
    static String thresholds(Ledger.Settings s) {
        if (s.mmapThreshold() == null || s.trimThreshold() == null || s.noDynThreshold() == null) {
            return null;
        }
        long start = MmapThreshold.DEFAULT_KB * 1024;
        String how = s.noDynThreshold() == 1 ? "fixed: a setting or mallopt switched the dynamic threshold off"
                : s.mmapThreshold() > start ? "the dynamic threshold raised it from " + size(start)
                : s.mmapThreshold() == start ? "glibc's default, which the dynamic threshold has not moved"
                : "below glibc's default";
        return "the mmap threshold is now " + size(s.mmapThreshold()) + " (" + how + "): blocks up to that size come "
                + "from the heap, and the trim threshold is " + size(s.trimThreshold());
    }

    /**
     * Why the trim threshold keeps the tops, from mp_ where it was read (a
     * setting that already fixed it is said, not blamed on the dynamic
     * threshold), else from the pattern (the tops exceed glibc's 128 KiB).
     */
    static String trimNow(Ledger.Settings s) {
        if (s.trimThreshold() == null || s.noDynThreshold() == null) {
            return "the tops kept here are larger than glibc's 128 KiB, so the threshold was raised (glibc's dynamic "
                    + "threshold sets it to twice the largest mmapped block freed), and setting it pins it at 128 KiB";
        }
        return "it is now " + size(s.trimThreshold()) + (s.noDynThreshold() == 1
                ? " (fixed: a setting or mallopt switched the dynamic threshold off), and setting it to 128 KiB lets "
                        + "free() give back more"
                : s.trimThreshold() > MmapThreshold.DEFAULT_KB * 1024
                        ? " (the dynamic threshold raised it to twice the largest mmapped block freed), and setting it "
                                + "pins it at 128 KiB"
                        : ", and setting it pins it at 128 KiB");
    }

    /** Why blocks went into the heap's tops, from mp_ where it was read. */
    static String mmapNow(Ledger.Settings s) {
        if (s.mmapThreshold() == null || s.noDynThreshold() == null) {
            return "the blocks freed into those tops came from the heap because the dynamic mmap threshold rose "
                    + "above them";
        }
        return "blocks up to the mmap threshold come from the heap, now " + size(s.mmapThreshold())
                + (s.noDynThreshold() == 1 ? " (fixed by a setting or mallopt)"
                        : s.mmapThreshold() > MmapThreshold.DEFAULT_KB * 1024 ? " (the dynamic threshold raised it)"
                                : " (glibc's default)");
    }

    /** Bytes as KiB below 1 MiB, else MiB with one decimal. */
    static String size(long bytes) {
        return bytes < 1024 * 1024 ? String.format(Locale.ROOT, "%d KiB", bytes / 1024)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static String glibcVerdict(Ledger l) {
        if (l.heaps().isEmpty()) {
            return "not glibc's malloc: " + l.allocator() + " serves malloc here, and what it keeps free is its own "
                    + "caching, which inspect cannot see";
        }
        Ledger.Heaps h = l.heaps().get();
        long worth = worth(l);
        long systrim = h.systrimKb();
        long bins = h.trimReleasableKb() - systrim;
        long threadTop = h.threadTopResidentKb();
        int threadArenas = (int) l.arenas().stream().filter(a -> a.kind().equals("thread")).count();
        List<long[]> found = new ArrayList<>();
        List<String> words = new ArrayList<>();
        if (systrim >= worth) {
            found.add(new long[] {systrim, words.size()});
            words.add(String.format(Locale.ROOT, "the main heap's top keeps %s MiB free and resident, below the trim "
                    + "threshold (%s); malloc_trim returns it", mib(systrim), h.settings().trimThreshold() == null
                            ? "which glibc's dynamic threshold raises to twice the largest freed mmapped block"
                            : "now " + size(h.settings().trimThreshold())));
        }
        if (bins >= worth) {
            found.add(new long[] {bins, words.size()});
            words.add(String.format(Locale.ROOT, "%s MiB of free pages sit in the bins, inside free chunks below live "
                    + "ones, so no heap can shrink past them; malloc_trim returns them", mib(bins)));
        }
        if (threadTop >= worth) {
            found.add(new long[] {threadTop, words.size()});
            words.add(String.format(Locale.ROOT, "the tops of the thread heaps in %d arena%s keep %s MiB free and "
                    + "resident, which malloc_trim cannot return", threadArenas, threadArenas == 1 ? "" : "s",
                    mib(threadTop)));
        }
        if (l.context().arenas() > 2 * l.context().onlineCpus() + 1 && threadTop + bins >= worth) {
            found.add(new long[] {0, words.size()});
            words.add("many arenas: " + l.context().arenas() + " (glibc's limit here: " + l.context().arenaLimit() + ")");
        }
        if (found.isEmpty()) {
            return String.format(Locale.ROOT, "nothing worth taking: malloc_trim would return %s MiB and the thread "
                    + "heaps' tops hold %s MiB, against %s MiB resident", mib(h.trimReleasableKb()), mib(threadTop),
                    mib(l.rssKb()));
        }
        found.sort(Comparator.comparingLong((long[] f) -> f[0]).reversed());
        List<String> ordered = new ArrayList<>();
        found.forEach(f -> ordered.add(words.get((int) f[1])));
        return String.join("; ", ordered);
    }

    /**
     * The patterns the ledger can show, each with the remedies whose mechanism
     * acts on it (glibc 2.36: systrim and heap_trim give back a heap's top
     * above the trim threshold; mtrim madvises the free pages inside binned
     * chunks; arena_get2 caps arenas at MALLOC_ARENA_MAX). The data file's
     * "pattern" column says which pattern a measured cost is of.
     */
    enum Pattern {
        /** Free at the main heap's top, above 128 KiB and kept: the trim threshold is above it. */
        MAIN_TOP("main-top"),
        /** Free at thread heaps' tops and kept: heap_trim gives back only above the trim threshold. */
        THREAD_TOP("thread-top"),
        /** Free whole pages inside free chunks below live ones: no threshold reaches them; malloc_trim does. */
        BINS("bins"),
        /** More arenas than the CPUs need, each with its own bins and top. */
        MANY_ARENAS("many-arenas"),
        /** Resident pages neither in use nor wholly free: partly used pages between live chunks. */
        FRAGMENTS("fragments");

        final String key;

        Pattern(String key) {
            this.key = key;
        }
    }

    /** The patterns worth a remedy in this ledger (a glibc one). */
    static List<Pattern> patterns(Ledger l) {
        Ledger.Heaps h = l.heaps().orElseThrow();
        long worth = worth(l);
        List<Pattern> p = new ArrayList<>();
        if (h.systrimKb() >= worth) {
            p.add(Pattern.MAIN_TOP);
        }
        if (h.threadTopResidentKb() >= worth) {
            p.add(Pattern.THREAD_TOP);
        }
        if (h.trimReleasableKb() - h.systrimKb() >= worth) {
            p.add(Pattern.BINS);
        }
        List<ArenaLedger> threads = h.arenas().stream().filter(a -> a.kind().equals("thread")).toList();
        int threadArenas = threads.size();
        // Fewer arenas help only with what the thread arenas keep (their tops and free pages): on node, 6 arenas and
        // 245 MiB free in the main arena's bins, MALLOC_ARENA_MAX=2 left try's final RSS where it was (303 MB).
        long threadKept = h.threadTopResidentKb() + threads.stream().mapToLong(ArenaLedger::freeResidentKb).sum();
        if (threadArenas + 1 > 2 * l.context().onlineCpus() + 1 && threadKept >= worth) {
            p.add(Pattern.MANY_ARENAS);
        }
        // Fragments are the story only where they outweigh what glibc's own remedies return (malloc_trim's free pages,
        // the thread heaps' tops): on python3 and perl freeing 49 of 50 600-byte strings, 31 MiB of partly used pages
        // beside 214 MiB malloc_trim returns, jemalloc's final RSS under try was 5% above glibc's, not below.
        if (fragmentsKb(h) >= worth && fragmentsKb(h) * 4 >= h.arenas().stream().mapToLong(ArenaLedger::inUseKb).sum()
                && fragmentsKb(h) > h.trimReleasableKb() + h.threadTopResidentKb()) {
            p.add(Pattern.FRAGMENTS);
        }
        return p;
    }

    /** Resident kB of the heaps that is neither in use, nor whole free pages, nor the tops. */
    static long fragmentsKb(Ledger.Heaps h) {
        return h.arenas().stream().mapToLong(a -> Math.max(0, a.rssKb() - a.inUseKb() - a.freeResidentKb()
                - a.topResidentKb())).sum();
    }

    /**
     * Lines to paste, each remedy offered only where its mechanism acts on a
     * pattern the ledger found, with a sentence of why and its cost where it
     * was measured on a matching pattern; empty when nothing is worth taking.
     */
    public static List<String> advice(Ledger l) {
        List<String> out = new ArrayList<>();
        if (l.heaps().isEmpty()) {
            out.add("inspect walks glibc's heap only; to compare allocators on your program: rsslab try "
                    + "--variant baseline,jemalloc,tcmalloc,mimalloc -- YOUR COMMAND");
            return out;
        }
        Ledger.Heaps h = l.heaps().get();
        List<Pattern> found = patterns(l);
        boolean tops = found.contains(Pattern.MAIN_TOP) || found.contains(Pattern.THREAD_TOP);
        if (h.trimReleasableKb() >= worth(l)) {
            out.add(String.format(Locale.ROOT, "now, once: malloc_trim(0) in the process would return %s MiB: rsslab "
                    + "trim %d%s", mib(h.trimReleasableKb()), l.pid(), l.context().jvm() ? " (a JVM: it goes through jcmd "
                            + l.pid() + " System.trim_native_heap)" : ""));
        }
        if (found.isEmpty()) {
            return out;
        }
        List<Cost> costs = costs();
        List<String> settings = l.context().mallocSettings();
        String where = found.contains(Pattern.MAIN_TOP) && found.contains(Pattern.THREAD_TOP)
                ? "the main heap's top (systrim) and the thread heaps' tops (heap_trim)"
                : found.contains(Pattern.MAIN_TOP) ? "the main heap's top (systrim)" : "the thread heaps' tops (heap_trim)";
        if (tops) {
            remedy(out, l.pid(), costs, settings, found, "trim-threshold", "MALLOC_TRIM_THRESHOLD_", "131072",
                    "free() gives back " + where + " only above the trim threshold; " + trimNow(h.settings()));
            Long mmapNow = h.settings().mmapThreshold();
            if (mmapNow == null || mmapNow > MmapThreshold.DEFAULT_KB * 1024) { // else free() mmaps them already
                remedy(out, l.pid(), costs, settings, found, "mmap-threshold", "MALLOC_MMAP_THRESHOLD_", "131072",
                        mmapNow(h.settings()) + "; pinned at 128 KiB, larger blocks are mmapped and unmapped by free()");
            }
        }
        if (found.contains(Pattern.BINS) || found.contains(Pattern.MAIN_TOP)) {
            // The periodic trimmer (librsslab-trim.so): malloc_trim(0) on a timer returns what the line above
            // returns, never a thread heap's top (malloc.c, mtrim: only the main arena's top is shrunk).
            out.add("a periodic malloc_trim(0)" + (l.context().jvm() ? jvmTrim(l) : "") + ": "
                    + (found.contains(Pattern.BINS) ? "the free pages lie inside free chunks below live ones, where no "
                            + "threshold reaches (the trim and mmap thresholds act on a heap's top only); malloc_trim's "
                            + "mtrim madvises them away"
                            : "malloc_trim's systrim gives back the main heap's top that free() keeps below the raised "
                            + "trim threshold")
                    + "; no code change: preload librsslab-trim.so (rsslab trimmer --path says where it is and how to "
                    + "copy it to a stable place), a thread of its own calls malloc_trim(0) every RSSLAB_TRIM_INTERVAL");
            out.add("  systemd:     Environment=LD_PRELOAD=/usr/local/lib/librsslab-trim.so RSSLAB_TRIM_INTERVAL=30s");
            out.add("  Kubernetes:  env: [{name: LD_PRELOAD, value: /usr/local/lib/librsslab-trim.so}, "
                    + "{name: RSSLAB_TRIM_INTERVAL, value: 30s}]");
            out.add("  shell:       LD_PRELOAD=/usr/local/lib/librsslab-trim.so RSSLAB_TRIM_INTERVAL=30s your-command");
            costs(out, costs, found, "trim-every-1s");
        }
        if (found.contains(Pattern.MANY_ARENAS)) {
            remedy(out, l.pid(), costs, settings, found, "arena-max-2", "MALLOC_ARENA_MAX", "2",
                    h.arenas().size() + " arenas for " + l.context().onlineCpus() + " CPUs, each keeping its own "
                    + "bins and top; at most two, threads share them and reuse each other's free memory");
        }
        if (found.contains(Pattern.FRAGMENTS)) {
            out.add(String.format(Locale.ROOT, "another allocator (jemalloc, tcmalloc, mimalloc through LD_PRELOAD): "
                    + "%s MiB of the heaps' resident pages are partly used, between live chunks, which neither "
                    + "malloc_trim nor a threshold can give back; allocators that group blocks by size fragment less",
                    mib(fragmentsKb(h))));
            out.add("  cost: not measured: measure it with rsslab try --variant baseline,jemalloc,tcmalloc,mimalloc "
                    + "-- YOUR COMMAND");
        }
        return out;
    }

    private static String jvmTrim(Ledger l) {
        Boolean has = l.context().jvmHasTrimInterval();
        return has == null ? "" : has ? " (this JVM, " + l.context().jvmVersion() + ", has it: "
                + "-XX:TrimNativeHeapInterval=5000, a malloc_trim every 5 s)"
                : " (this JVM, " + l.context().jvmVersion() + ", has no -XX:TrimNativeHeapInterval; a newer JDK has)";
    }

    /** A setting as lines to paste, why it acts here, and its cost where measured on a matching pattern. */
    private static void remedy(List<String> out, long pid, List<Cost> costs, List<String> settings, List<Pattern> found,
            String variant, String name, String value, String why) {
        Optional<String> set = settings.stream().filter(x -> x.startsWith(name + "=")).findFirst();
        if (set.isPresent()) {
            out.add(name + ": the process has " + set.get() + " already; " + why);
            return;
        }
        out.add(name + "=" + value + ": " + why);
        out.addAll(permanent(name, value));
        out.add("  now, in this process (until it restarts): rsslab tune " + pid + " " + name.replaceFirst("^MALLOC_", "")
                .replaceFirst("_$", "").toLowerCase(Locale.ROOT) + "=" + value);
        costs(out, costs, found, variant);
    }

    /** The lines that set an environment variable for good: systemd, Kubernetes, a shell. */
    public static List<String> permanent(String name, String value) {
        return List.of("  systemd:     Environment=" + name + "=" + value,
                "  Kubernetes:  env: [{name: " + name + ", value: \"" + value + "\"}]",
                "  shell:       " + name + "=" + value + " your-command");
    }

    /** The variant's cost where it was measured on a pattern found here, then the try that measures it on yours. */
    private static void costs(List<String> out, List<Cost> costs, List<Pattern> found, String variant) {
        boolean measured = false;
        for (Pattern p : found) {
            for (Cost c : costs) {
                if (c.variant().equals(variant) && c.pattern().equals(p.key)) {
                    out.add(String.format(Locale.ROOT, "  cost where the pattern was the same (%s, not this process): "
                            + "%+.0f%% system time against baseline, %s MiB kept instead of %s (data/remedy-costs.csv)",
                            c.measured(), c.sysPct(), c.keptMib(), c.baselineKeptMib()));
                    measured = true;
                }
            }
        }
        out.add("  " + (measured ? "on yours" : "cost: not measured on this pattern") + ": measure it with rsslab try "
                + "--variant baseline," + variant + " -- YOUR COMMAND");
    }

    static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
