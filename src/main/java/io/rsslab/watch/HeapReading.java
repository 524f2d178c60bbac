package io.rsslab.watch;

import io.rsslab.inspect.ArenaLedger;
import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;

/**
 * watch's one use of inspect: a full, read-only walk of a process's heaps (Inspector.inspect without
 * --stop: the process is never frozen, never written to), reduced to the figures watch follows.
 * Everything watch knows of inspect is in this class.
 */
final class HeapReading {

    /**
     * A walk's figures; those inspect cannot know (another allocator's heap) are null. The free resident
     * memory of an arena kind is its free chunks' resident pages, in the bins and at the top.
     * The live thresholds are glibc's mp_ as inspect reads it (mmap_threshold, trim_threshold in bytes, and
     * whether the dynamic threshold is off), null where inspect says unknown.
     */
    record Figures(String allocator, Long mainFreeResidentKb, Long threadFreeResidentKb, Long trimReleasableKb,
            Long threadTopResidentKb, int arenas, boolean consistent, long walkMicros, Long mmapThreshold,
            Long trimThreshold, Integer noDynThreshold) {
    }

    /** The process could not be walked: why, in inspect's words. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String reason) {
            super(reason);
        }
    }

    private HeapReading() {
    }

    static Figures read(long pid) throws Unreadable {
        Ledger l;
        try {
            l = Inspector.inspect(pid, false);
        } catch (InspectException e) {
            throw new Unreadable(e.getMessage());
        }
        Ledger.Heaps h = l.heaps().orElse(null);
        boolean walked = h != null;
        long main = 0;
        long thread = 0;
        for (ArenaLedger a : l.arenas()) {
            if (a.kind().equals("main")) {
                main += a.freeResidentKb() + a.topResidentKb();
            } else {
                thread += a.freeResidentKb() + a.topResidentKb();
            }
        }
        return new Figures(l.allocator(), walked ? main : null, walked ? thread : null,
                walked ? h.trimReleasableKb() : null, walked ? h.threadTopResidentKb() : null, l.arenas().size(),
                l.consistent(), walked ? h.walkMicros() : 0, l.settings().mmapThreshold(), l.settings().trimThreshold(),
                l.settings().noDynThreshold());
    }
}
