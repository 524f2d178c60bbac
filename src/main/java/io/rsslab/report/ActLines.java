package io.rsslab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rsslab.act.Injector;
import io.rsslab.act.Trim;
import io.rsslab.act.Tune;
import io.rsslab.inspect.Advice;
import io.rsslab.inspect.ArenaLedger;
import io.rsslab.inspect.Ledger;

/** What trim and tune print: the prediction beside the outcome, the pause, the lines that make a setting last. */
public final class ActLines {

    private ActLines() {
    }

    public static List<String> trim(Trim.Outcome o) {
        List<String> out = new ArrayList<>();
        Ledger l = o.prediction();
        out.add(String.format(Locale.ROOT, "process %d (%s), glibc %s", l.pid(), l.command(), l.glibcVersion()));
        Long predicted = l.heaps().map(Ledger.Heaps::trimReleasableKb).orElse(null);
        out.add("inspect predicted: malloc_trim(0) returns " + (predicted == null ? "unknown (heaps not read)"
                : kb(predicted) + (l.consistent() ? "" : " (the reading was not consistent: the process was busy)")));
        for (ArenaLedger a : l.arenas()) {
            out.add(String.format(Locale.ROOT, "  %s arena: %s free and resident in its bins, its top %s resident",
                    a.kind(), kb(a.freeResidentKb()), kb(a.topResidentKb())));
        }
        if (o.path().equals("jcmd")) {
            out.add("path: jcmd " + l.pid() + " System.trim_native_heap (a JVM's own safe path; --inject calls "
                    + "malloc_trim through ptrace instead)");
            out.add("jcmd said: " + o.jcmdSaid());
        } else {
            Injector.Call c = o.call();
            out.add("path: malloc_trim injected with ptrace (rsslab-probe --call), on thread " + c.thread());
            out.add("malloc_trim returned " + c.result() + (c.result() == 1 ? " (memory was released)"
                    : " (nothing was released)"));
            out.add(pause(c));
        }
        long drop = o.rssBeforeKb() - o.rssAfterKb();
        out.add(String.format(Locale.ROOT, "VmRSS: %s -> %s (%s %s%s)", kb(o.rssBeforeKb()), kb(o.rssAfterKb()),
                drop >= 0 ? "fell by" : "rose by", kb(Math.abs(drop)),
                predicted == null ? "" : ", predicted " + kb(predicted)));
        out.addAll(perArena(l, o.after()));
        return out;
    }

    /** Each arena's resident memory before and after, matched by its address (the heaps read again after the call). */
    static List<String> perArena(Ledger before, Ledger after) {
        if (after == null || after.heaps().isEmpty()) {
            return List.of("  per arena: not known (the heaps read after the trim did not agree with themselves)");
        }
        List<String> out = new ArrayList<>();
        for (ArenaLedger a : before.arenas()) {
            after.arenas().stream().filter(b -> b.address() == a.address() && a.address() != 0).findFirst()
                    .ifPresent(b -> out.add(String.format(Locale.ROOT, "  %s arena at 0x%x: resident %s -> %s (gave back %s)",
                            a.kind(), a.address(), kb(a.rssKb()), kb(b.rssKb()), kb(a.rssKb() - b.rssKb()))));
        }
        return out;
    }

    public static List<String> tune(long pid, Tune.Result r) {
        List<String> out = new ArrayList<>();
        List<Tune.Applied> applied = r.applied();
        boolean dynamicOff = false;
        for (Tune.Applied a : applied) {
            out.add(String.format(Locale.ROOT, "%s=%d: mallopt(%d, %d) returned %d in process %d: %s", a.setting().name(),
                    a.setting().value(), a.setting().param(), a.setting().value(), a.call().result(), pid,
                    a.set() ? "set" : a.call().result() != 1 ? "NOT set (glibc refused the value)"
                            : "NOT set (mp_ holds another value)"));
            out.add(pause(a.call()));
            if (a.readBack() != null) {
                out.add(String.format(Locale.ROOT, "  read back: mp_.%s = %d%s, the dynamic threshold %s",
                        Tune.fieldName(a.setting().name()), a.readBack(),
                        a.readBack() == a.setting().value() ? " (as asked)" : " (asked " + a.setting().value() + ")",
                        r.readBack().noDynThreshold() ? "off" : "on"));
            }
            // mp_ known, its no_dyn_threshold says; unknown, mallopt's 1 for a do_set_* that sets it.
            dynamicOff |= r.readBack() == null && a.set() && a.setting().disablesDynamic();
            if (a.set() && a.setting().name().startsWith("arena_")) {
                out.add("  arena_max and arena_test act only where the process has not yet fixed its arena limit "
                        + "(arena.c arena_get2 computes narenas_limit once, when the arenas first run short)");
            }
        }
        if (r.readBack() == null) {
            out.add("read back: mp_ unknown (" + r.why() + "); mallopt's return value above is all that is known");
        } else {
            dynamicOff = r.readBack().noDynThreshold();
        }
        if (dynamicOff) {
            out.add("the dynamic mmap threshold is now off for the rest of this process's life (mp_.no_dyn_threshold)");
        }
        out.add("a restart forgets this; to make it permanent:");
        for (Tune.Applied a : applied) {
            out.addAll(Advice.permanent(a.setting().alias(), Integer.toString(a.setting().value())));
        }
        return out;
    }

    private static String pause(Injector.Call c) {
        return String.format(Locale.ROOT, "  the process stood still %.1f ms (%d thread%s stopped; %d attempt%s, %d "
                + "found a lock held or a thread inside malloc and let it go)", c.pauseMicros() / 1000.0, c.threads(),
                c.threads() == 1 ? "" : "s", c.attempts(), c.attempts() == 1 ? "" : "s", c.busy())
                + (c.releasedOthers() ? "; the call waited, so the other threads were let go before it ended" : "");
    }

    private static String kb(long kb) {
        return String.format(Locale.ROOT, "%,d kB (%.1f MiB)", kb, kb / 1024.0);
    }
}
