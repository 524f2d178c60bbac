package io.rsslab.watch;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * watch's gauges, served by the Prometheus Java client's HTTP server (OpenMetrics or the text format,
 * as the scraper asks) and/or written for node_exporter's textfile collector. Every per-process series
 * has the labels pid, comm and cgroup (arena too for the free memory); a process's series are removed
 * when it exits or becomes unreadable, so the series live at once are at most the processes watched
 * (bounded by --max-processes) times fourteen, plus, with --trim-when, a trim counter per outcome tried
 * (released, nothing, jcmd, failed, refused_RULE: the injector's few rules) and the bytes the trims returned.
 */
final class Metrics implements AutoCloseable {

    static final String TEXTFILE = "rsslab_watch.prom";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge rss = bytes("rsslab_process_rss", "VmRSS of the process (/proc/PID/status)");
    private final Gauge rssAnon = bytes("rsslab_process_rss_anon", "RssAnon of the process (/proc/PID/status)");
    private final Gauge freeResident = Gauge.builder().name("rsslab_malloc_free_resident_bytes").unit(Unit.BYTES)
            .help("glibc malloc's free chunks' resident pages (bins and top), per arena kind (main, thread)")
            .labelNames("pid", "comm", "cgroup", "arena").register(registry);
    private final Gauge releasable = bytes("rsslab_trim_releasable", "What malloc_trim(0) would return now");
    private final Gauge threadTop = bytes("rsslab_malloc_thread_top_resident",
            "Resident pages at the tops of thread heaps: kept, malloc_trim cannot return them");
    private final Gauge mmapThreshold = bytes("rsslab_malloc_mmap_threshold",
            "glibc's mmap threshold now (mp_.mmap_threshold): blocks up to it come from the heap");
    private final Gauge trimThreshold = bytes("rsslab_malloc_trim_threshold",
            "glibc's trim threshold now (mp_.trim_threshold): free() gives back a heap's top only above it");
    private final Gauge dynamicThreshold = perProcess(Gauge.builder().name("rsslab_malloc_dynamic_threshold")
            .help("1 while glibc's dynamic mmap threshold is on (mp_.no_dyn_threshold 0), 0 once a setting or "
                    + "mallopt switched it off"));
    private final Gauge arenas = perProcess(Gauge.builder().name("rsslab_malloc_arenas")
            .help("glibc malloc arenas of the process"));
    private final Gauge consistent = perProcess(Gauge.builder().name("rsslab_reading_consistent")
            .help("1 when the last walk's two readings agreed, 0 when the process was too busy for them to"));
    private final Gauge walk = perProcess(Gauge.builder().name("rsslab_reading_walk_seconds").unit(Unit.SECONDS)
            .help("How long the last full heap walk took"));
    private final Gauge age = perProcess(Gauge.builder().name("rsslab_reading_age_seconds").unit(Unit.SECONDS)
            .help("Age of the heap figures: 0 when walked this tick, else since the last walk (nothing changed)"));
    private final Counter trims = Counter.builder().name("rsslab_trims_total")
            .help("Trims watch --trim-when made or tried, by outcome: released (malloc_trim returned 1), nothing (0), "
                    + "jcmd (a JVM's System.trim_native_heap), failed, refused_RULE (the target left as it was)")
            .labelNames("pid", "comm", "cgroup", "outcome").register(registry);
    private final Counter trimmedBytes = Counter.builder().name("rsslab_trim_returned_bytes_total").unit(Unit.BYTES)
            .help("VmRSS that watch --trim-when's trims returned (the drop across each trim)")
            .labelNames("pid", "comm", "cgroup").register(registry);
    /** The outcomes a process has counted, so that its series go with it. */
    private final java.util.Map<String, java.util.Set<String>> outcomes = new java.util.HashMap<>();
    private final Gauge watched = Gauge.builder().name("rsslab_watch_processes")
            .help("Processes watched now").register(registry);
    private final Gauge unreadable = Gauge.builder().name("rsslab_watch_unreadable_processes")
            .help("Selected processes that could not be read (each reason is said once on stderr and in watch.csv)")
            .register(registry);
    private final Gauge skipped = Gauge.builder().name("rsslab_watch_skipped_processes")
            .help("Selected processes left out because --max-processes were watched already").register(registry);
    /**
     * The HTTP server logs a stack trace when a scraper hangs up before the answer is sent (its scrape
     * timeout): the scraper reports that itself (the target down), so the log stays quiet. Held here:
     * java.util.logging keeps loggers weakly.
     */
    private static final Logger SERVER_LOG = Logger.getLogger("io.prometheus.metrics.exporter.httpserver");

    private final HTTPServer server;
    private final Path textfileDir;

    /** Binds listen (null: no endpoint) before anything else is made, so a bad address fails first. */
    Metrics(InetSocketAddress listen, Path textfileDir) throws IOException {
        this.textfileDir = textfileDir;
        SERVER_LOG.setLevel(Level.OFF);
        this.server = listen == null ? null : HTTPServer.builder().inetAddress(listen.getAddress())
                .port(listen.getPort()).registry(registry).buildAndStart();
    }

    /** The port the endpoint listens on (the one asked, or the one given for port 0), or -1. */
    int port() {
        return server == null ? -1 : server.getPort();
    }

    void reading(Proc.Id id, String comm, String cgroup, Proc.Status s, HeapReading.Figures f, double ageS) {
        String[] l = {Long.toString(id.pid()), comm, cgroup};
        rss.labelValues(l).set(s.vmRssKb() * 1024.0);
        rssAnon.labelValues(l).set(s.rssAnonKb() * 1024.0);
        if (f.mainFreeResidentKb() != null) {
            freeResident.labelValues(l[0], l[1], l[2], "main").set(f.mainFreeResidentKb() * 1024.0);
            freeResident.labelValues(l[0], l[1], l[2], "thread").set(f.threadFreeResidentKb() * 1024.0);
            releasable.labelValues(l).set(f.trimReleasableKb() * 1024.0);
            threadTop.labelValues(l).set(f.threadTopResidentKb() * 1024.0);
        }
        if (f.mmapThreshold() != null) {
            mmapThreshold.labelValues(l).set(f.mmapThreshold());
            trimThreshold.labelValues(l).set(f.trimThreshold());
            dynamicThreshold.labelValues(l).set(f.noDynThreshold() == 1 ? 0 : 1);
        }
        arenas.labelValues(l).set(f.arenas());
        consistent.labelValues(l).set(f.consistent() ? 1 : 0);
        walk.labelValues(l).set(f.walkMicros() / 1e6);
        age.labelValues(l).set(ageS);
    }

    void trimmed(Proc.Id id, String comm, String cgroup, String outcome, long returnedBytes) {
        String pid = Long.toString(id.pid());
        trims.labelValues(pid, comm, cgroup, outcome).inc();
        trimmedBytes.labelValues(pid, comm, cgroup).inc(returnedBytes);
        outcomes.computeIfAbsent(pid + "\0" + comm + "\0" + cgroup, k -> new java.util.HashSet<>()).add(outcome);
    }

    /** A process's series go when it exits or cannot be read: the label set follows the processes watched. */
    void remove(Proc.Id id, String comm, String cgroup) {
        String[] l = {Long.toString(id.pid()), comm, cgroup};
        for (Gauge g : new Gauge[] {rss, rssAnon, releasable, threadTop, mmapThreshold, trimThreshold,
                dynamicThreshold, arenas, consistent, walk, age}) {
            g.remove(l);
        }
        freeResident.remove(l[0], l[1], l[2], "main");
        freeResident.remove(l[0], l[1], l[2], "thread");
        java.util.Set<String> tried = outcomes.remove(l[0] + "\0" + l[1] + "\0" + l[2]);
        if (tried != null) {
            tried.forEach(o -> trims.remove(l[0], l[1], l[2], o));
            trimmedBytes.remove(l);
        }
    }

    void counts(int watchedNow, int unreadableNow, int skippedNow) {
        watched.set(watchedNow);
        unreadable.set(unreadableNow);
        skipped.set(skippedNow);
    }

    /** The textfile, written whole to a hidden name in its folder and renamed over the last one. */
    void writeTextfile() throws IOException {
        if (textfileDir == null) {
            return;
        }
        // node_exporter's textfile collector reads *.prom only: the temporary name is never half read.
        Path tmp = textfileDir.resolve("." + TEXTFILE + "." + ProcessHandle.current().pid() + ".tmp");
        try (OutputStream o = Files.newOutputStream(tmp)) {
            PrometheusTextFormatWriter.create().write(o, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, textfileDir.resolve(TEXTFILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop();
        }
    }

    private Gauge bytes(String name, String help) {
        return perProcess(Gauge.builder().name(name + "_bytes").unit(Unit.BYTES).help(help));
    }

    private Gauge perProcess(Gauge.Builder b) {
        return b.labelNames("pid", "comm", "cgroup").register(registry);
    }
}
