package io.rsslab.fork;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every child rsslab has running, so that Ctrl-C or SIGTERM to rsslab ends
 * them too (a shutdown hook). A hard kill of rsslab is covered by the
 * reaper: it learns of its parent's death (PR_SET_PDEATHSIG) and stops its
 * whole tree (src/main/c/reap.c).
 */
public final class LiveChildren {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;
    private static volatile boolean terminating;

    private LiveChildren() {
    }

    static synchronized void add(Process p) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(LiveChildren::terminateAll, "rsslab-children"));
            hooked = true;
        }
        LIVE.add(p);
    }

    /** Has rsslab itself been told to stop (SIGINT, SIGTERM, SIGHUP): is what ends now ended by rsslab? */
    static boolean terminating() {
        return terminating;
    }

    static void remove(Process p) {
        LIVE.remove(p);
    }

    /**
     * SIGTERM to every reaper and to every process below it (a command's own
     * children would outlive it otherwise), then SIGKILL to what is left of
     * them after 3 s.
     */
    static void terminateAll() {
        terminating = true;
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process p : LIVE) {
            tree.addAll(p.descendants().toList());
            tree.add(p.toHandle());
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (ProcessHandle h : tree) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                h.destroyForcibly();
            }
        }
    }
}
