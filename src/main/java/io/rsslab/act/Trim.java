package io.rsslab.act;

import java.time.Duration;
import java.util.List;

import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;

/**
 * rsslab trim PID: what inspect predicts, then malloc_trim(pad) inside the
 * process (Injector), or for a JVM its own safe path, jcmd PID
 * System.trim_native_heap (unless inject is asked), then VmRSS after.
 */
public final class Trim {

    /** pad: malloc_trim's argument; lockWait: how long a held lock is waited out; inject: a JVM too through ptrace. */
    public record Settings(long pid, long pad, Duration lockWait, boolean force, boolean inject) {
    }

    /**
     * path "inject" (call set) or "jcmd" (jcmdSaid set); VmRSS before and after, kB; after: the heaps read again
     * once the call returned (null when that reading did not agree with itself: the process was busy).
     */
    public record Outcome(Ledger prediction, String path, Injector.Call call, String jcmdSaid, long rssBeforeKb,
            long rssAfterKb, Ledger after) {
    }

    private Trim() {
    }

    public static Outcome run(Settings s) {
        Injector.check(s.pid(), s.force(), List.of("malloc_trim", Long.toString(s.pad())));
        Ledger l = Act.ledger(s.pid());
        if (l.context().jvm() && !s.inject()) {
            long before = Act.rss(s.pid());
            String said;
            try {
                said = Inspector.jcmdTrim(s.pid());
            } catch (InspectException e) {
                throw new ActError(e.getMessage() + " (--inject calls malloc_trim through ptrace instead)");
            }
            return new Outcome(l, "jcmd", null, said, before, Act.rss(s.pid()), after(s.pid()));
        }
        long mainArena = Act.mainArena(s.pid(), l, s.force());
        long before = Act.rss(s.pid());
        Injector.Call c = Injector.call(s.pid(), mainArena, s.lockWait(), s.force(),
                List.of("malloc_trim", Long.toString(s.pad())));
        return new Outcome(l, "inject", c, null, before, Act.rss(s.pid()), after(s.pid()));
    }

    /** The ledger after the trim, per arena what it gave back; never read standing still a second time. */
    private static Ledger after(long pid) {
        try {
            return Inspector.inspect(pid, false);
        } catch (InspectException | RuntimeException busy) {
            return null;
        }
    }

}
