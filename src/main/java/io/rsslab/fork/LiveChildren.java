package io.rsslab.fork;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every child rsslab has running, so that Ctrl-C or SIGTERM to rsslab ends
 * them too (a shutdown hook). A hard kill of rsslab is covered by the
 * reaper: it dies with its parent (PR_SET_PDEATHSIG) and its child with it.
 */
public final class LiveChildren {

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static boolean hooked;

    private LiveChildren() {
    }

    static synchronized void add(Process p) {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(new Thread(LiveChildren::terminateAll, "rsslab-children"));
            hooked = true;
        }
        LIVE.add(p);
    }

    static void remove(Process p) {
        LIVE.remove(p);
    }

    /** SIGTERM to every reaper (which passes it on), then SIGKILL to what is left after 3 s. */
    static void terminateAll() {
        for (Process p : LIVE) {
            p.toHandle().destroy();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        for (Process p : LIVE) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
