package io.rsslab.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rsslab.malloc.MallocSettings;

/**
 * The malloc settings a process's environment asked for, each against what
 * its mp_ holds now. A taken setting of the trim or mmap threshold, top_pad
 * or mmap_max writes its field and sets no_dyn_threshold (malloc.c, 2.36:
 * do_set_trim_threshold, do_set_top_pad, do_set_mmap_threshold,
 * do_set_mmaps_max, lines 5305-5345; do_set_mmap_threshold refuses more than
 * HEAP_MAX_SIZE / 2 and changes nothing); arena_max and arena_test are only
 * written (do_set_arena_max, do_set_arena_test).
 */
final class Requests {

    private Requests() {
    }

    static List<Ledger.Requested> judge(Ledger.Settings live, Map<String, String> env) {
        List<Ledger.Requested> out = new ArrayList<>();
        for (MallocSettings.Asked a : MallocSettings.asked(env)) {
            out.add(judge(live, a));
        }
        return out;
    }

    private static Ledger.Requested judge(Ledger.Settings live, MallocSettings.Asked a) {
        String field = switch (a.tunable()) {
            case "glibc.malloc.mmap_threshold" -> "mmap_threshold";
            case "glibc.malloc.trim_threshold" -> "trim_threshold";
            case "glibc.malloc.top_pad" -> "top_pad";
            case "glibc.malloc.mmap_max" -> "n_mmaps_max";
            case "glibc.malloc.arena_max" -> "arena_max";
            case "glibc.malloc.arena_test" -> "arena_test";
            default -> null;
        };
        if (field == null) {
            return new Ledger.Requested(a.requested(), "unknown", a.tunable() + " is not among the fields of mp_ read");
        }
        Long now = switch (field) {
            case "mmap_threshold" -> live.mmapThreshold();
            case "trim_threshold" -> live.trimThreshold();
            case "top_pad" -> live.topPad();
            case "n_mmaps_max" -> live.nMmapsMax();
            case "arena_max" -> live.arenaMax();
            default -> live.arenaTest();
        };
        if (now == null || live.noDynThreshold() == null) {
            return new Ledger.Requested(a.requested(), "unknown", "mp_ was not read");
        }
        if (a.value() == null) {
            return new Ledger.Requested(a.requested(), "unknown", "not a number glibc reads; " + field + " is " + now);
        }
        boolean dynamicOff = live.noDynThreshold() == 1;
        String dyn = dynamicOff ? "the dynamic threshold is off" : "the dynamic threshold is on";
        String says = String.format(Locale.ROOT, "%s is %d", field, now);
        if (field.equals("mmap_threshold") && a.value() > MallocSettings.mmapThresholdMax()) {
            // malloc refuses it: the field is not written, and only another setting turns the dynamic threshold off.
            return new Ledger.Requested(a.requested(), now.longValue() != a.value() ? "agrees" : "disagrees", says
                    + ", " + dyn + " (malloc refuses an mmap threshold above 32 MiB)");
        }
        boolean agrees = now.longValue() == a.value() && (!MallocSettings.disablesDynamic(a.tunable()) || dynamicOff);
        if (MallocSettings.disablesDynamic(a.tunable())) {
            says += ", " + dyn;
        }
        // A threshold set and then moved: the program's own mallopt, or the loader did not take the setting.
        return new Ledger.Requested(a.requested(), agrees ? "agrees" : "disagrees", says);
    }
}
