package io.rsslab.act;

import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;
import io.rsslab.inspect.Target;
import io.rsslab.inspect.glibc.GlibcHeap;

/** What trim and tune both ask of inspect: the ledger, VmRSS, the arenas whose locks the call must find free. */
final class Act {

    private Act() {
    }

    static Ledger ledger(long pid) {
        Ledger l;
        try {
            l = Inspector.inspect(pid, false);
        } catch (InspectException busy) {
            // A busy heap never reads the same twice: read it standing still (inspect --stop), as exact.
            try {
                l = Inspector.inspect(pid, true);
            } catch (InspectException e) {
                throw new ActError(e.getMessage());
            }
        }
        if (!l.allocator().equals("glibc")) {
            throw new Refused("allocator", "process " + pid + "'s malloc is " + l.allocator() + "'s, not glibc's");
        }
        return l;
    }

    static long rss(long pid) {
        try {
            return Inspector.vmRssKb(pid);
        } catch (InspectException e) {
            throw new ActError(e.getMessage());
        }
    }

    /**
     * main_arena's address: the injector follows the ring of arenas from it
     * and reads each mutex with every thread stopped. Not found, the lock
     * cannot be checked: a refusal unless forced (0 then).
     */
    static long mainArena(long pid, Ledger l, boolean force) {
        long a;
        try {
            a = GlibcHeap.mainArena(Target.open(pid), l.glibcVersion());
        } catch (InspectException e) {
            throw new ActError(e.getMessage());
        }
        if (a == 0 && !force) {
            throw new Refused("lock", "process " + pid + "'s main_arena was not found, so its lock cannot be "
                    + "checked before the call; --force calls without that check");
        }
        return a;
    }
}
