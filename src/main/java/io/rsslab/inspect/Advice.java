package io.rsslab.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.rsslab.data.DataFiles;

/**
 * The verdict (the mechanism, in one sentence) and what would help, as
 * lines to paste: for systemd, Kubernetes, a shell, a JVM; each remedy with
 * its cost as rsslab matrix measured it (data/remedy-costs.csv, which says
 * where and how) and the command that measures it again.
 */
public final class Advice {

    /** Less than this, or less than 5% of RSS, is not worth a remedy. */
    static final long WORTH_KB = 2048;

    /** One measured remedy: data/remedy-costs.csv. */
    record Cost(String variant, String host, String setting, double sysPct, double keptMib, double baselineKeptMib,
            String measured, String command) {
    }

    private Advice() {
    }

    static List<Cost> costs() {
        return DataFiles.readCsv("remedy-costs.csv", r -> new Cost(r.get("variant"), r.get("host"), r.get("setting"),
                Double.parseDouble(r.get("sys_vs_baseline_pct")), Double.parseDouble(r.get("kept_mib")),
                Double.parseDouble(r.get("baseline_kept_mib")), r.get("measured"), r.get("command")));
    }

    static long worth(Ledger l) {
        return Math.max(WORTH_KB, l.rssKb() / 20);
    }

    /** The mechanism the ledger shows, in one sentence. */
    public static String verdict(Ledger l) {
        if (!l.allocator().equals("glibc")) {
            return "not glibc's malloc: " + l.allocator() + " serves malloc here, and what it keeps free is its own "
                    + "caching, which inspect cannot see";
        }
        long worth = worth(l);
        long systrim = l.systrimKb();
        long bins = l.trimReleasableKb() - systrim;
        long threadTop = l.threadTopResidentKb();
        int threadArenas = (int) l.arenas().stream().filter(a -> a.kind().equals("thread")).count();
        List<long[]> found = new ArrayList<>();
        List<String> words = new ArrayList<>();
        if (systrim >= worth) {
            found.add(new long[] {systrim, words.size()});
            words.add(String.format(Locale.ROOT, "the main heap's top keeps %s MiB free and resident, below the trim "
                    + "threshold (which glibc's dynamic threshold raises to twice the largest freed mmapped block); "
                    + "malloc_trim returns it", mib(systrim)));
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
                    + "heaps' tops hold %s MiB, against %s MiB resident", mib(l.trimReleasableKb()), mib(threadTop),
                    mib(l.rssKb()));
        }
        found.sort(Comparator.comparingLong((long[] f) -> f[0]).reversed());
        List<String> ordered = new ArrayList<>();
        found.forEach(f -> ordered.add(words.get((int) f[1])));
        return String.join("; ", ordered);
    }

    /** Lines to paste, each remedy with its measured cost; empty when nothing is worth taking. */
    public static List<String> advice(Ledger l) {
        List<String> out = new ArrayList<>();
        if (!l.allocator().equals("glibc")) {
            out.add("inspect walks glibc's heap only; to compare allocators on your pattern: rsslab matrix "
                    + "--scenario article-4 --variant baseline,jemalloc,tcmalloc,mimalloc");
            return out;
        }
        long worth = worth(l);
        boolean mainOrBins = l.trimReleasableKb() >= worth;
        boolean threadTops = l.threadTopResidentKb() >= worth;
        if (mainOrBins) {
            out.add(String.format(Locale.ROOT, "now, once: malloc_trim(0) in the process would return %s MiB%s",
                    mib(l.trimReleasableKb()), l.context().jvm() ? " (a JVM: jcmd " + l.pid()
                            + " System.trim_native_heap, or rsslab inspect " + l.pid() + " --jcmd-trim to see it)" : ""));
        }
        if (!mainOrBins && !threadTops) {
            return out;
        }
        List<Cost> costs = costs();
        out.add("MALLOC_TRIM_THRESHOLD_=131072: the trim threshold stays at glibc's default (setting it turns the "
                + "dynamic threshold off), so free() gives back the main heap's top (systrim) and a thread heap's "
                + "top (heap_trim) above 128 KiB");
        out.add("  systemd:     Environment=MALLOC_TRIM_THRESHOLD_=131072");
        out.add("  Kubernetes:  env: [{name: MALLOC_TRIM_THRESHOLD_, value: \"131072\"}]");
        out.add("  shell:       MALLOC_TRIM_THRESHOLD_=131072 your-command");
        if (mainOrBins) {
            out.add(cost(costs, "trim-threshold", "native"));
        }
        if (threadTops) {
            out.add(cost(costs, "trim-threshold", "thread"));
            costs.stream().filter(x -> x.variant().equals("arena-max-2") && x.host().equals("thread")).findFirst()
                    .ifPresent(x -> out.add(String.format(Locale.ROOT, "  (MALLOC_ARENA_MAX=2 kept %s MiB of %s in "
                            + "the same measurement: one thread still gets an arena of its own)", x.keptMib(),
                            x.baselineKeptMib())));
        }
        if (mainOrBins) {
            // The periodic trimmer (issue 26): malloc_trim(0) on a timer, so it returns the same memory as the line
            // above, never a thread heap's top (malloc.c mtrim shrinks only the main arena's top).
            out.add("periodic trim, no code change or restart-time threshold: preload librsslab-trim.so (rsslab "
                    + "trimmer --path says where it is and how to copy it to a stable place): a thread calls "
                    + "malloc_trim(0) every RSSLAB_TRIM_INTERVAL");
            out.add("  systemd:     Environment=LD_PRELOAD=/usr/local/lib/librsslab-trim.so RSSLAB_TRIM_INTERVAL=30s");
            out.add("  Kubernetes:  env: [{name: LD_PRELOAD, value: /usr/local/lib/librsslab-trim.so}, "
                    + "{name: RSSLAB_TRIM_INTERVAL, value: 30s}]");
            out.add("  shell:       LD_PRELOAD=/usr/local/lib/librsslab-trim.so RSSLAB_TRIM_INTERVAL=30s your-command");
            out.add(cost(costs, "trim-every-1s", "native"));
        }
        Boolean has = l.context().jvmHasTrimInterval();
        if (has != null && mainOrBins) {
            out.add(has ? "JVM option: -XX:TrimNativeHeapInterval=5000 (this JVM, " + l.context().jvmVersion()
                    + ", has it: a malloc_trim every 5 s; measure it: rsslab matrix --host jvm "
                    + "--variant baseline,jvm-trim-interval)"
                    : "this JVM (" + l.context().jvmVersion() + ") has no -XX:TrimNativeHeapInterval; a newer JDK has");
        }
        return out;
    }

    /** One measured cost, cited; or that it was not measured. */
    private static String cost(List<Cost> costs, String variant, String host) {
        Optional<Cost> c = costs.stream().filter(x -> x.variant().equals(variant) && x.host().equals(host))
                .findFirst();
        return c.map(x -> String.format(Locale.ROOT, "  cost on the %s host, as rsslab matrix measured it (%s): %+.0f%% "
                + "system time against baseline, %s MiB kept instead of %s (data/remedy-costs.csv); measure it again: %s",
                host, x.measured(), x.sysPct(), x.keptMib(), x.baselineKeptMib(), x.command()))
                .orElse("  cost on the " + host + " host: not measured (data/remedy-costs.csv has no " + variant + ")");
    }

    static String mib(long kb) {
        return String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
