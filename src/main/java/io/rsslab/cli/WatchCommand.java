package io.rsslab.cli;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.rsslab.machine.Users;
import io.rsslab.nativelib.Platform;
import io.rsslab.watch.Selection;
import io.rsslab.watch.TrimRule;
import io.rsslab.watch.Watcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab watch: freed-but-resident memory of running processes over time, as a folder and as Prometheus metrics. */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Follow running processes: each interval their VmRSS, glibc malloc's free resident memory per "
                + "arena kind, what malloc_trim(0) would return, the thread heaps' tops, read-only as inspect reads. "
                + "Into a results folder (--out), an OpenMetrics endpoint (--listen), a textfile (--textfile).")
public final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PID", arity = "0..*", description = "Processes to follow by number.")
    List<String> pidTexts = new ArrayList<>();

    @Option(names = "--match", paramLabel = "REGEX", description = "Follow every process whose command line "
            + "REGEX is found in (Java's regex syntax).")
    String match;

    @Option(names = "--user", paramLabel = "USER", description = "Follow every process of this user (name or uid).")
    String user;

    @Option(names = "--cgroup", paramLabel = "PATH", description = "Follow every process in this cgroup or one "
            + "below it (e.g. /system.slice/nginx.service, or the same under /sys/fs/cgroup).")
    String cgroup;

    @Option(names = "--all", description = "Follow every process (those it may not read are said once).")
    boolean all;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Read each process once every SECONDS "
            + "(default 60; 0.1 to 86400), the readings spread over the interval.")
    double interval = 60;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this long (default: until "
            + "SIGTERM or Ctrl-C).")
    Double duration;

    @Option(names = "--walk-every", paramLabel = "N", description = "Walk a heap in full at least every N intervals "
            + "even when nothing changed (default 10; 1 walks every time).")
    int walkEvery = 10;

    @Option(names = "--max-processes", paramLabel = "N", description = "Follow at most N processes at once (default "
            + "500): it bounds the metrics' label sets.")
    int maxProcesses = 500;

    @Option(names = "--out", paramLabel = "DIR", description = "The results folder (must not exist; default "
            + "results/<timestamp>/ when neither --listen nor --textfile is given).")
    Path out;

    @Option(names = "--listen", paramLabel = "[HOST:]PORT", description = "Serve the metrics on http://HOST:PORT/"
            + "metrics (HOST default 127.0.0.1; 0.0.0.0 for every address).")
    String listen;

    @Option(names = "--textfile", paramLabel = "DIR", description = "Write the metrics to DIR/rsslab_watch.prom each "
            + "interval (atomically) for node_exporter's textfile collector.")
    Path textfile;

    @Option(names = "--trim-when", paramLabel = "FIGURE>SIZE", description = "Trim a process whose reading is over "
            + "the line, as rsslab trim does (malloc_trim(0) through ptrace: it needs the right to trace the process; "
            + "a JVM through jcmd): FIGURE releasable, thread_tops or rss, e.g. 'releasable>256MiB'.")
    String trimWhen;

    @Option(names = "--trim-every", paramLabel = "DURATION", description = "Trim one process at most once per "
            + "DURATION (SECONDS, or 30s, 10m, 1h; default 10m); a refusal counts as a try.")
    String trimEvery;

    @Override
    public Integer call() {
        Platform.requireSupported();
        boolean filters = match != null || user != null || cgroup != null;
        if (pidTexts.isEmpty() && !filters && !all) {
            throw new UserError("watch: name the processes: PID..., --match REGEX, --user USER, --cgroup PATH or --all");
        }
        if (all && (filters || !pidTexts.isEmpty())) {
            throw new UserError("--all follows every process: it takes no PID, --match, --user or --cgroup");
        }
        if (!(interval >= 0.1 && interval <= 86_400)) {
            throw new UserError("--interval " + interval + " is out of range (0.1 to 86400 seconds)");
        }
        if (duration != null && !(duration > 0 && duration <= 31_536_000)) {
            throw new UserError("--duration " + duration + " is out of range (more than 0, up to 31536000 seconds)");
        }
        if (walkEvery < 1 || walkEvery > 10_000) {
            throw new UserError("--walk-every " + walkEvery + " is out of range (1 to 10000)");
        }
        if (maxProcesses < 1 || maxProcesses > 100_000) {
            throw new UserError("--max-processes " + maxProcesses + " is out of range (1 to 100000)");
        }
        TrimRule rule = null;
        if (trimWhen == null && trimEvery != null) {
            throw new UserError("--trim-every says how often --trim-when may trim a process: give --trim-when too");
        }
        if (trimWhen != null) {
            try {
                rule = TrimRule.parse(trimWhen, trimEvery == null ? "10m" : trimEvery);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
        Selection selection = new Selection(pids(), pattern(), uid(), cgroupPath(), all);
        Watcher.Settings s = new Watcher.Settings(selection, Duration.ofNanos((long) (interval * 1e9)),
                duration == null ? null : Duration.ofNanos((long) (duration * 1e9)), walkEvery, maxProcesses, out,
                listen == null ? null : address(listen), textfile, Invocation.origin(), rule);
        PrintWriter err = spec.commandLine().getErr();
        Watcher.Outcome o = Watcher.run(s, line -> {
            err.println(line);
            err.flush();
        });
        err.printf("watch ended: %d readings; %d processes watched at the end, %d unreadable%s%n", o.readings(),
                o.processes(),
                o.unreadable(), o.folder() == null ? "" : "; the folder: " + o.folder());
        err.flush();
        return ExitCodes.OK;
    }

    private List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (String t : pidTexts) {
            try {
                long pid = Long.parseLong(t);
                if (pid < 1) {
                    throw new NumberFormatException();
                }
                pids.add(pid);
            } catch (NumberFormatException e) {
                throw new UserError("PID '" + t + "' is not a process id (a whole number, 1 or more)");
            }
        }
        return List.copyOf(pids);
    }

    private Pattern pattern() {
        if (match == null) {
            return null;
        }
        try {
            return Pattern.compile(match);
        } catch (PatternSyntaxException e) {
            throw new UserError("--match '" + match + "' is not a regular expression: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
    }

    /** A uid, or a user name resolved as the system resolves it (getent: /etc/passwd, LDAP, ...). */
    private Integer uid() {
        if (user == null) {
            return null;
        }
        if (user.matches("\\d{1,9}")) {
            return Integer.parseInt(user);
        }
        try {
            java.util.OptionalInt uid = Users.uid(user);
            if (uid.isPresent()) {
                return uid.getAsInt();
            }
        } catch (java.io.IOException e) {
            throw new UserError("--user " + user + ": getent did not run: " + e.getMessage());
        }
        throw new UserError("--user " + user + ": no such user");
    }

    private String cgroupPath() {
        if (cgroup == null) {
            return null;
        }
        String c = cgroup.startsWith("/sys/fs/cgroup") ? cgroup.substring("/sys/fs/cgroup".length()) : cgroup;
        c = c.isEmpty() ? "/" : c;
        if (!c.startsWith("/") || !java.nio.file.Files.isDirectory(Path.of("/sys/fs/cgroup" + c))) {
            throw new UserError("--cgroup " + cgroup + ": no such cgroup under /sys/fs/cgroup");
        }
        return c.length() > 1 && c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
    }

    /** [HOST:]PORT, HOST 127.0.0.1 by default; [v6]:PORT for an IPv6 address. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : text.substring(0, colon);
        String port = text.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65_535) {
            throw new UserError("--listen " + text + ": the port '" + port + "' is not a number from 0 to 65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), p);
        } catch (UnknownHostException e) {
            throw new UserError("--listen " + text + ": no such address '" + host + "'");
        }
    }
}
