package io.rsslab.watch;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.rsslab.act.ActError;
import io.rsslab.act.Refused;
import io.rsslab.act.Trim;
import io.rsslab.data.CsvRow;
import io.rsslab.launch.LaunchError;
import io.rsslab.launch.Origin;
import io.rsslab.launch.OutputError;
import io.rsslab.machine.Fact;
import io.rsslab.results.WatchColumn;
import io.rsslab.results.WatchFolder;

/**
 * rsslab watch's loop. Each interval it lists the selected processes (picking up new ones, dropping
 * those that exited) and reads them one by one, spread evenly over the interval. A reading is cheap
 * unless something changed: /proc/PID/status for VmRSS and RssAnon, and the change signature
 * (smaps_rollup's resident totals, the anonymous mappings' ranges); only when the signature moved, or
 * the last walk is --walk-every intervals old, is the heap walked in full (HeapReading), else the last
 * walk's figures are carried with their age. A free that neither unmaps nor changes a resident page
 * leaves the signature as it was: what a trim would return can then lag by up to --walk-every
 * intervals. A process that may not be read is said once, with the reason, and never retried.
 * SIGTERM or Ctrl-C end it after the reading under way: every row is flushed as it is made.
 */
public final class Watcher {

    /**
     * out, listen, textfile: each optional, at least one given. duration null: until stopped. trimWhen
     * null: watch only reads; else a process over its line is trimmed through act.Trim (ptrace, or a
     * JVM's jcmd), at most once per its interval.
     */
    public record Settings(Selection selection, Duration interval, Duration duration, int walkEvery,
            int maxProcesses, Path out, InetSocketAddress listen, Path textfile, Origin origin, TrimRule trimWhen) {
    }

    /** What watch made: the folder (or null), the endpoint's port (or -1), the readings made (walked or carried). */
    public record Outcome(Path folder, int port, long readings, int processes, int unreadable) {
    }

    private static final class Watched {
        final String comm;
        final String cgroup;
        String signature;
        HeapReading.Figures figures;
        long walkedAt;
        int carried;
        /** When the last trim was tried (System.nanoTime), and how many were tried. */
        Long trimmedAt;
        int trims;

        Watched(String comm, String cgroup) {
            this.comm = comm;
            this.cgroup = cgroup;
        }
    }

    private final Settings settings;
    private final Consumer<String> notes;
    private final Map<Proc.Id, Watched> watched = new LinkedHashMap<>();
    private final Set<Proc.Id> unreadable = new HashSet<>();
    private final Set<Proc.Id> skipped = new HashSet<>();
    /** Processes the filters refused, with their comm then: not asked again each tick. */
    private final Map<Proc.Id, String> refused = new HashMap<>();
    private final Object sleeper = new Object();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean stopping;
    private WatchFolder folder;
    private Metrics metrics;
    private long start;
    private long readings;

    private Watcher(Settings settings, Consumer<String> notes) {
        this.settings = settings;
        this.notes = notes;
    }

    /** Runs the watch; notes get a line for each process picked up, dropped or unreadable, and the start. */
    public static Outcome run(Settings s, Consumer<String> notes) {
        return new Watcher(s, notes).run();
    }

    private Outcome run() {
        check();
        try {
            metrics = new Metrics(settings.listen(), settings.textfile());
        } catch (BindException e) {
            throw new LaunchError("--listen " + where(settings.listen()) + ": " + e.getMessage());
        } catch (IOException e) {
            throw new LaunchError("--listen " + where(settings.listen()) + ": cannot serve there: " + e.getMessage());
        }
        Thread hook = new Thread(this::stopAndWait, "rsslab-watch-stop");
        try (Metrics m = metrics) {
            if (settings.out() != null || settings.listen() == null && settings.textfile() == null) {
                openFolder();
            }
            Runtime.getRuntime().addShutdownHook(hook);
            if (m.port() > 0) {
                notes.accept("serving metrics on http://" + settings.listen().getAddress().getHostAddress() + ":"
                        + m.port() + "/metrics");
            }
            loop();
        } finally {
            try {
                closeFolder();
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    // Shutting down already (the hook is what ended the loop), or it was never added.
                }
            }
        }
        return new Outcome(folder == null ? null : folder.dir(), metrics.port(), readings, watched.size(),
                unreadable.size());
    }

    /** Everything the user can get wrong is refused before anything is made. */
    private void check() {
        Selection sel = settings.selection();
        for (long pid : sel.pids()) {
            if (Proc.id(pid) == null) {
                throw new LaunchError("no process " + pid + " (it has exited, or never was)");
            }
        }
        if (settings.textfile() != null && !(Files.isDirectory(settings.textfile())
                && Files.isWritable(settings.textfile()))) {
            throw new LaunchError("--textfile " + settings.textfile() + " is not a folder rsslab may write in");
        }
        if (settings.out() != null && Files.exists(settings.out())) {
            throw new LaunchError("--out " + settings.out() + " exists already: watch makes a new folder");
        }
        if (settings.out() != null && !Files.isDirectory(settings.out().toAbsolutePath().getParent())) {
            throw new LaunchError("--out " + settings.out() + ": the folder it would be made in does not exist");
        }
    }

    private void openFolder() {
        try {
            folder = WatchFolder.create(settings.out());
            folder.writeEnvironment(settings.origin().facts(List.of(new Fact("watch", "interval_s",
                    seconds(settings.interval()), "how often each process was read"), new Fact("watch",
                    "walk_every", Integer.toString(settings.walkEvery()), "a full heap walk at least every this "
                    + "many intervals, even when nothing changed"), new Fact("watch", "selection",
                    settings.selection().toString(), "which processes were followed"), new Fact("watch", "trim_when",
                    settings.trimWhen() == null ? "" : settings.trimWhen().toString(), "the line over which a process "
                    + "was trimmed (--trim-when, --trim-every); empty: never")), List.of()));
        } catch (IOException e) {
            throw new OutputError("cannot make the watch folder: " + OutputError.reason(e), e);
        }
    }

    private void closeFolder() {
        if (folder == null) {
            return;
        }
        try {
            folder.close();
        } catch (IOException e) {
            throw new OutputError("watch.csv could not be completed in " + folder.dir() + ": " + OutputError.reason(e)
                    + "; the rows before are kept", e);
        }
    }

    private void loop() {
        start = System.nanoTime();
        long interval = settings.interval().toNanos();
        Long end = settings.duration() == null ? null : start + settings.duration().toNanos();
        for (long tick = 0; !stopping; tick++) {
            long tickStart = start + tick * interval;
            if (end != null && tickStart >= end) {
                break;
            }
            List<Proc.Id> now = select();
            long spacing = now.isEmpty() ? 0 : interval / now.size();
            for (int i = 0; i < now.size() && !stopping; i++) {
                sleepUntil(tickStart + i * spacing);
                if (!stopping) {
                    read(now.get(i));
                }
            }
            metrics.counts(watched.size(), unreadable.size(), skipped.size());
            try {
                metrics.writeTextfile();
            } catch (IOException e) {
                throw new OutputError("--textfile " + settings.textfile() + ": " + OutputError.reason(e), e);
            }
            sleepUntil(tickStart + interval);
        }
    }

    /** This tick's processes: new ones picked up, the gone dropped (a row each), unreadable ones left out. */
    private List<Proc.Id> select() {
        Selection sel = settings.selection();
        Set<Proc.Id> now = new HashSet<>();
        for (long pid : sel.pids()) {
            Proc.Id id = Proc.id(pid);
            if (id != null) {
                now.add(id);
            }
        }
        if (sel.filters()) {
            long self = ProcessHandle.current().pid();
            try {
                Map<Proc.Id, String> seen = new HashMap<>();
                for (Proc.Seen p : Proc.all()) {
                    Proc.Id id = p.id();
                    seen.put(id, p.comm());
                    // A process the filter refused is asked again only once its comm changed (an exec).
                    if (id.pid() == self || now.contains(id) || unreadable.contains(id) || skipped.contains(id)
                            || p.comm().equals(refused.get(id))) {
                        continue;
                    }
                    if (watched.containsKey(id) || sel.accepts(id.pid())) {
                        now.add(id);
                    } else {
                        refused.put(id, p.comm());
                    }
                }
                // What has gone is forgotten: the watch's memory follows the processes there are, not all there were.
                refused.keySet().retainAll(seen.keySet());
                unreadable.retainAll(seen.keySet());
            } catch (IOException e) {
                throw new LaunchError("cannot list /proc: " + e.getMessage());
            }
        }
        for (Proc.Id id : new ArrayList<>(watched.keySet())) {
            if (!now.contains(id)) {
                drop(id, "exited");
            }
        }
        List<Proc.Id> order = new ArrayList<>();
        for (Proc.Id id : now) {
            if (unreadable.contains(id)) {
                continue;
            }
            if (!watched.containsKey(id)) {
                if (watched.size() >= settings.maxProcesses()) {
                    if (skipped.add(id)) {
                        notes.accept("process " + id.pid() + " (" + Proc.comm(id.pid()) + ") is not watched: "
                                + settings.maxProcesses() + " are already (--max-processes)");
                    }
                    continue;
                }
                watched.put(id, new Watched(Proc.comm(id.pid()), Proc.cgroup(id.pid())));
            }
            order.add(id);
        }
        order.sort((a, b) -> Long.compare(a.pid(), b.pid()));
        skipped.retainAll(now);
        return order;
    }

    private void read(Proc.Id id) {
        Watched w = watched.get(id);
        Proc.Status s = Proc.status(id.pid());
        if (s == null || !id.equals(Proc.id(id.pid()))) {
            drop(id, "exited");
            return;
        }
        String sig = Proc.signature(id.pid());
        boolean walk = w.figures == null || sig == null || !sig.equals(w.signature)
                || w.carried + 1 >= settings.walkEvery();
        String status = "carried";
        if (walk) {
            try {
                w.figures = HeapReading.read(id.pid());
                w.signature = sig;
                w.walkedAt = System.nanoTime();
                w.carried = 0;
                status = "walked";
            } catch (HeapReading.Unreadable e) {
                if (!id.equals(Proc.id(id.pid()))) {
                    drop(id, "exited");
                } else {
                    unreadable(id, w, e.getMessage());
                }
                return;
            }
        } else {
            w.carried++;
        }
        double age = (System.nanoTime() - w.walkedAt) / 1e9;
        metrics.reading(id, w.comm, w.cgroup, s, w.figures, walk ? 0 : age);
        HeapReading.Figures f = w.figures;
        readings++;
        CsvRow<WatchColumn> row = row(id, w, status);
        TrimRule rule = settings.trimWhen();
        if (rule != null && rule.over(s, f)
                && (w.trimmedAt == null || System.nanoTime() - w.trimmedAt >= rule.every().toNanos())) {
            trim(id, w, row);
        }
        write(row.set(WatchColumn.VM_RSS_KB, s.vmRssKb()).set(WatchColumn.RSS_ANON_KB, s.rssAnonKb())
                .set(WatchColumn.MAIN_FREE_RESIDENT_KB, f.mainFreeResidentKb())
                .set(WatchColumn.THREAD_FREE_RESIDENT_KB, f.threadFreeResidentKb())
                .set(WatchColumn.TRIM_RELEASABLE_KB, f.trimReleasableKb())
                .set(WatchColumn.THREAD_TOP_RESIDENT_KB, f.threadTopResidentKb()).set(WatchColumn.ARENAS, f.arenas())
                .set(WatchColumn.CONSISTENT, f.consistent()).set(WatchColumn.WALK_MS,
                        String.format(Locale.ROOT, "%.1f", f.walkMicros() / 1000.0))
                .set(WatchColumn.FIGURES_AGE_S, String.format(Locale.ROOT, "%.1f", walk ? 0 : age))
                .set(WatchColumn.ALLOCATOR, f.allocator()).set(WatchColumn.MMAP_THRESHOLD, f.mmapThreshold())
                .set(WatchColumn.TRIM_THRESHOLD, f.trimThreshold()).set(WatchColumn.DYNAMIC_THRESHOLD,
                        f.noDynThreshold() == null ? null : f.noDynThreshold() == 1 ? "off" : "on"));
    }

    /**
     * The process is over the --trim-when line: trimmed as rsslab trim does (malloc_trim(0) injected, a
     * JVM through jcmd), the outcome in this reading's row and counted; a refusal or a failure is an
     * outcome too, never the end of the watch (the target is left as it was, act.Refused says).
     */
    private void trim(Proc.Id id, Watched w, CsvRow<WatchColumn> row) {
        w.trimmedAt = System.nanoTime();
        w.trims++;
        row.set(WatchColumn.TRIMS, w.trims);
        String outcome;
        try {
            Trim.Outcome o = Trim.run(new Trim.Settings(id.pid(), 0, TRIM_LOCK_WAIT, false, false));
            outcome = o.path().equals("jcmd") ? "jcmd" : o.call().result() == 1 ? "released" : "nothing";
            row.set(WatchColumn.TRIM, o.path().equals("jcmd") ? "jcmd" : "inject:" + o.call().result())
                    .set(WatchColumn.TRIM_RSS_BEFORE_KB, o.rssBeforeKb()).set(WatchColumn.TRIM_RSS_AFTER_KB,
                            o.rssAfterKb());
            metrics.trimmed(id, w.comm, w.cgroup, outcome, Math.max(0, o.rssBeforeKb() - o.rssAfterKb()) * 1024);
            notes.accept(String.format(Locale.ROOT, "process %d (%s) trimmed (%s): VmRSS %,d -> %,d kB", id.pid(),
                    w.comm, row.get(WatchColumn.TRIM), o.rssBeforeKb(), o.rssAfterKb()));
            // What the walk said is gone with the trim: the next reading walks again.
            w.signature = null;
        } catch (Refused e) {
            outcome = "refused_" + e.rule();
            row.set(WatchColumn.TRIM, "refused:" + e.rule()).set(WatchColumn.REASON, e.getMessage());
            metrics.trimmed(id, w.comm, w.cgroup, outcome, 0);
            notes.accept("process " + id.pid() + " (" + w.comm + ") not trimmed: " + e.getMessage());
        } catch (ActError e) {
            row.set(WatchColumn.TRIM, "failed").set(WatchColumn.REASON, e.getMessage());
            metrics.trimmed(id, w.comm, w.cgroup, "failed", 0);
            notes.accept("process " + id.pid() + " (" + w.comm + ") not trimmed: " + e.getMessage());
        }
    }

    /** How long a held arena lock is waited out before a trim is refused (rsslab trim's default). */
    private static final Duration TRIM_LOCK_WAIT = Duration.ofSeconds(3);

    private void unreadable(Proc.Id id, Watched w, String reason) {
        unreadable.add(id);
        watched.remove(id);
        metrics.remove(id, w.comm, w.cgroup);
        notes.accept("process " + id.pid() + " (" + w.comm + ") cannot be read, and will not be tried again: " + reason);
        write(row(id, w, "unreadable").set(WatchColumn.REASON, reason));
    }

    private void drop(Proc.Id id, String why) {
        Watched w = watched.remove(id);
        if (w == null) {
            return;
        }
        metrics.remove(id, w.comm, w.cgroup);
        write(row(id, w, why));
    }

    private CsvRow<WatchColumn> row(Proc.Id id, Watched w, String status) {
        return WatchFolder.WATCH.row().set(WatchColumn.SECONDS, String.format(Locale.ROOT, "%.3f",
                (System.nanoTime() - start) / 1e9)).set(WatchColumn.TIME, Instant.now().toString())
                .set(WatchColumn.PID, id.pid()).set(WatchColumn.COMM, w.comm).set(WatchColumn.CGROUP, w.cgroup)
                .set(WatchColumn.STATUS, status);
    }

    private void write(CsvRow<WatchColumn> row) {
        if (folder == null) {
            return;
        }
        try {
            folder.add(row);
        } catch (IOException e) {
            throw new OutputError("watch.csv in " + folder.dir() + " could not be written: " + OutputError.reason(e)
                    + "; the rows before are kept", e);
        }
    }

    private void sleepUntil(long deadline) {
        synchronized (sleeper) {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(sleeper, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stopping = true;
                }
            }
        }
    }

    /** SIGTERM, SIGINT: the loop ends after the reading under way, and the folder is completed first. */
    private void stopAndWait() {
        synchronized (sleeper) {
            stopping = true;
            sleeper.notifyAll();
        }
        try {
            done.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String where(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d.toNanos() / 1e9);
    }
}
