package io.rsslab.act;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.Tunable;

/**
 * rsslab tune PID NAME=VALUE...: mallopt inside the process (Injector), one
 * call per setting, each checked first with the loader's value rules
 * (malloc.MallocSettings.mallopt); what mallopt returned (1: set) is the
 * read-back until the live settings can be read from mp_.
 */
public final class Tune {

    /** One setting and what mallopt returned. */
    public record Applied(MallocSettings.Mallopt setting, Injector.Call call) {
        public boolean set() {
            return call.result() == 1;
        }
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

    public static List<Applied> run(long pid, List<String> settings, Duration wait, boolean force) {
        List<MallocSettings.Mallopt> wanted = parse(settings);
        Injector.check(pid, force, List.of("mallopt", "-1", "0"));
        long mainArena = Act.mainArena(pid, Act.ledger(pid), force);
        List<Applied> out = new ArrayList<>();
        for (MallocSettings.Mallopt m : wanted) {
            out.add(new Applied(m, Injector.call(pid, mainArena, wait, force,
                    List.of("mallopt", Integer.toString(m.param()), Integer.toString(m.value())))));
        }
        return out;
    }
}
