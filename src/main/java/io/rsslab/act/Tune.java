package io.rsslab.act;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.glibc.GlibcHeap;
import io.rsslab.inspect.glibc.MallocParams;
import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.Tunable;

/**
 * rsslab tune PID NAME=VALUE...: mallopt inside the process (Injector), one
 * call per setting, each checked first with the loader's value rules
 * (malloc.MallocSettings.mallopt); then each setting read back from the
 * process's own mp_ (GlibcHeap.live), or, where mp_ is not known, what
 * mallopt returned (1: set).
 */
public final class Tune {

    /**
     * One setting, what mallopt returned and the value mp_ holds after the
     * calls (null: mp_ not known, so mallopt's result is all there is).
     */
    public record Applied(MallocSettings.Mallopt setting, Injector.Call call, Long readBack) {
        /** mallopt said 1 and, where mp_ was read, it holds the value asked. */
        public boolean set() {
            return call.result() == 1 && (readBack == null || readBack == setting.value());
        }
    }

    /** The settings applied; mp_ read after them (null: unknown, why says why). */
    public record Result(List<Applied> applied, MallocParams readBack, String why) {
    }

    private Tune() {
    }

    /** The settings checked before anything is touched: a bad one is an ActError naming it. */
    public static List<MallocSettings.Mallopt> parse(List<String> settings) {
        Map<String, Tunable> loader;
        try {
            loader = LoaderTunables.read(Map.of());
        } catch (IOException e) {
            loader = Map.of(); // The loader's ranges unknown: mallopt's int and the 32 MiB limit still apply.
        }
        List<MallocSettings.Mallopt> out = new ArrayList<>();
        for (String s : settings) {
            try {
                out.add(MallocSettings.mallopt(s, loader));
            } catch (IllegalArgumentException e) {
                throw new ActError(e.getMessage());
            }
        }
        return out;
    }

    public static Result run(long pid, List<String> settings, Duration wait, boolean force) {
        List<MallocSettings.Mallopt> wanted = parse(settings);
        Injector.check(pid, force, List.of("mallopt", "-1", "0"));
        long mainArena = Act.mainArena(pid, Act.ledger(pid), force);
        List<Injector.Call> calls = new ArrayList<>();
        for (MallocSettings.Mallopt m : wanted) {
            calls.add(Injector.call(pid, mainArena, wait, force,
                    List.of("mallopt", Integer.toString(m.param()), Integer.toString(m.value()))));
        }
        MallocParams mp = null;
        String why = null;
        try {
            mp = GlibcHeap.live(pid).params();
            if (mp == null) {
                why = "mp_ was not found or did not validate in libc's data";
            }
        } catch (InspectException e) {
            why = e.getMessage();
        }
        List<Applied> out = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            out.add(new Applied(wanted.get(i), calls.get(i), mp == null ? null : field(mp, wanted.get(i).name())));
        }
        return new Result(out, mp, why);
    }

    /** The mp_ field a mallopt parameter sets (malloc.c do_set_*; mmap_max is n_mmaps_max). */
    public static long field(MallocParams mp, String name) {
        return switch (name) {
            case "trim_threshold" -> mp.trimThreshold();
            case "top_pad" -> mp.topPad();
            case "mmap_threshold" -> mp.mmapThreshold();
            case "mmap_max" -> mp.nMmapsMax();
            case "arena_max" -> mp.arenaMax();
            case "arena_test" -> mp.arenaTest();
            default -> throw new IllegalArgumentException("no mp_ field for " + name);
        };
    }

    /** mp_'s name of the field (struct malloc_par). */
    public static String fieldName(String name) {
        return name.equals("mmap_max") ? "n_mmaps_max" : name;
    }
}
