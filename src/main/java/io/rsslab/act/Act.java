package io.rsslab.act;

import java.util.List;

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
        } catch (InspectException e) {
            throw new ActError(e.getMessage());
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
     * The arenas (main_arena first) whose mutexes the injector reads with
     * every thread stopped. Without main_arena the lock cannot be checked: a
     * refusal unless forced.
     */
    static List<Long> arenas(long pid, Ledger l, boolean force) {
        List<Long> a;
        try {
            a = GlibcHeap.arenaAddresses(Target.open(pid), l.glibcVersion());
        } catch (InspectException e) {
            throw new ActError(e.getMessage());
        }
        if (a.isEmpty() && !force) {
            throw new Refused("lock", "process " + pid + "'s main_arena was not found, so its lock cannot be "
                    + "checked before the call; --force calls without that check");
        }
        return a;
    }
}
