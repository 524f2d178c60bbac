package io.rsslab.malloc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.rsslab.plan.EnvPair;

/**
 * Judges each malloc setting in a child's environment against what the
 * loader reports, so a setting glibc ignored or rejected is flagged rather
 * than reported as applied.
 */
public final class MallocSettings {

    /** glibc's environment aliases of its malloc tunables (elf/dl-tunables.list). */
    static final Map<String, String> ALIASES = Map.of(
            "MALLOC_CHECK_", "glibc.malloc.check",
            "MALLOC_TOP_PAD_", "glibc.malloc.top_pad",
            "MALLOC_PERTURB_", "glibc.malloc.perturb",
            "MALLOC_MMAP_THRESHOLD_", "glibc.malloc.mmap_threshold",
            "MALLOC_TRIM_THRESHOLD_", "glibc.malloc.trim_threshold",
            "MALLOC_MMAP_MAX_", "glibc.malloc.mmap_max",
            "MALLOC_ARENA_MAX", "glibc.malloc.arena_max",
            "MALLOC_ARENA_TEST", "glibc.malloc.arena_test");

    /**
     * malloc.c do_set_mmap_threshold refuses a threshold above HEAP_MAX_SIZE / 2
     * (32 MiB on 64-bit) and leaves the dynamic threshold on; the loader cannot show that.
     */
    static final long MMAP_THRESHOLD_MAX = 32L * 1024 * 1024;

    private MallocSettings() {
    }

    /** Every malloc setting in env (MALLOC_* aliases and glibc.malloc.* in GLIBC_TUNABLES), judged. */
    public static List<SettingCheck> check(List<EnvPair> env, Map<String, Tunable> loader) {
        List<SettingCheck> checks = new ArrayList<>();
        for (EnvPair p : env) {
            if (ALIASES.containsKey(p.name())) {
                checks.add(judge(p.toString(), ALIASES.get(p.name()), p.value(), loader));
            } else if (p.name().equals("GLIBC_TUNABLES")) {
                for (String item : p.value().split(":")) {
                    if (item.isEmpty()) {
                        continue;
                    }
                    int eq = item.indexOf('=');
                    if (eq < 0) {
                        checks.add(new SettingCheck("GLIBC_TUNABLES " + item, "", "ignored", "",
                                "not NAME=VALUE"));
                    } else {
                        checks.add(judge("GLIBC_TUNABLES " + item, item.substring(0, eq), item.substring(eq + 1),
                                loader));
                    }
                }
            }
        }
        return checks;
    }

    static SettingCheck judge(String requested, String tunable, String value, Map<String, Tunable> loader) {
        Tunable t = loader.get(tunable);
        if (t == null) {
            return new SettingCheck(requested, tunable, "unknown", "", "this glibc has no such tunable");
        }
        Long wanted = parseLikeGlibc(value);
        if (wanted == null) {
            return new SettingCheck(requested, tunable, "ignored", t.valueText(), "'" + value + "' is not a number");
        }
        if (!t.inRange(wanted)) {
            return new SettingCheck(requested, tunable, "ignored", t.valueText(), "outside the tunable's range "
                    + "0x" + Long.toHexString(t.min()) + "..0x" + Long.toHexString(t.max()));
        }
        if (t.value() != wanted) {
            return new SettingCheck(requested, tunable, "ignored", t.valueText(),
                    "the loader reports another value (overridden by another setting?)");
        }
        if (tunable.equals("glibc.malloc.mmap_threshold") && Long.compareUnsigned(wanted, MMAP_THRESHOLD_MAX) > 0) {
            return new SettingCheck(requested, tunable, "rejected", t.valueText(), "malloc refuses an mmap "
                    + "threshold above 32 MiB (HEAP_MAX_SIZE/2) and keeps the dynamic threshold");
        }
        return new SettingCheck(requested, tunable, "applied", t.valueText(), "");
    }

    /** strtoul with base 0, whole string: decimal, 0x hexadecimal, 0 octal; null if not a number. */
    static Long parseLikeGlibc(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * One setting for mallopt inside a running process (rsslab tune): the
     * tunable's short name (trim_threshold), the full one, its environment
     * alias, malloc.h's M_* parameter and the value.
     */
    public record Mallopt(String name, String tunable, String alias, int param, int value) {
        /** Whether it turns the dynamic mmap threshold off (malloc.c do_set_*: mp_.no_dyn_threshold = 1). */
        public boolean disablesDynamic() {
            return DISABLE_DYNAMIC.contains(tunable);
        }
    }

    /** malloc.h's mallopt parameters of the tunables rsslab sets. */
    static final Map<String, Integer> MALLOPT = Map.of("trim_threshold", -1, "top_pad", -2, "mmap_threshold", -3,
            "mmap_max", -4, "arena_test", -7, "arena_max", -8);

    /**
     * NAME=VALUE as mallopt(M_*, value): the same value rules as the loader's
     * (parsed as strtoul, in the tunable's range as this glibc's loader lists
     * it, at most 32 MiB for the mmap threshold), and mallopt's int.
     */
    public static Mallopt mallopt(String setting, Map<String, Tunable> loader) {
        int eq = setting.indexOf('=');
        String name = eq < 0 ? setting : setting.substring(0, eq);
        if (eq < 0 || !MALLOPT.containsKey(name)) {
            throw new IllegalArgumentException("'" + setting + "' is not NAME=VALUE with NAME one of "
                    + String.join(", ", new java.util.TreeSet<>(MALLOPT.keySet())));
        }
        String tunable = "glibc.malloc." + name;
        String text = setting.substring(eq + 1);
        Long v = parseLikeGlibc(text);
        if (v == null) {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a number");
        }
        Tunable t = loader.get(tunable);
        if (t != null && !t.inRange(v)) {
            throw new IllegalArgumentException(name + "=" + text + " is outside the tunable's range 0x"
                    + Long.toHexString(t.min()) + "..0x" + Long.toHexString(t.max()));
        }
        if (Long.compareUnsigned(v, Integer.MAX_VALUE) > 0) {
            throw new IllegalArgumentException(name + "=" + text + " is above mallopt's int (2147483647)");
        }
        if (name.equals("mmap_threshold") && v > MMAP_THRESHOLD_MAX) {
            throw new IllegalArgumentException("mmap_threshold=" + text + ": malloc refuses an mmap threshold above "
                    + "32 MiB (HEAP_MAX_SIZE/2) and keeps the dynamic threshold");
        }
        String alias = ALIASES.entrySet().stream().filter(e -> e.getValue().equals(tunable)).map(Map.Entry::getKey)
                .findFirst().orElse("GLIBC_TUNABLES");
        return new Mallopt(name, tunable, alias, MALLOPT.get(name), (int) (long) v);
    }

    /** The tunables whose setting turns glibc's dynamic threshold off (mp_.no_dyn_threshold = 1). */
    static final Set<String> DISABLE_DYNAMIC = Set.of("glibc.malloc.trim_threshold",
            "glibc.malloc.top_pad", "glibc.malloc.mmap_threshold", "glibc.malloc.mmap_max");

    /** Is name one of glibc's malloc environment variables (an alias, or GLIBC_TUNABLES)? */
    public static boolean isMallocVariable(String name) {
        return ALIASES.containsKey(name) || name.equals("GLIBC_TUNABLES");
    }

    /**
     * The arena limit an environment sets: MALLOC_ARENA_MAX, or
     * glibc.malloc.arena_max in GLIBC_TUNABLES (which wins, as the loader
     * parses it after the aliases); null when neither sets one.
     */
    public static Integer arenaMax(Map<String, String> env) {
        Long value = env.containsKey("MALLOC_ARENA_MAX") ? parseLikeGlibc(env.get("MALLOC_ARENA_MAX")) : null;
        for (String item : env.getOrDefault("GLIBC_TUNABLES", "").split(":")) {
            if (item.startsWith("glibc.malloc.arena_max=")) {
                value = parseLikeGlibc(item.substring(item.indexOf('=') + 1));
            }
        }
        return value == null || value <= 0 || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    /** A malloc setting an environment asks for: as written, its tunable, the value glibc parses (null: none). */
    public record Asked(String requested, String tunable, Long value) {
    }

    /**
     * The malloc settings in a process's environment: the MALLOC_* aliases,
     * then glibc.malloc.* in GLIBC_TUNABLES, which wins where both set one
     * tunable (as arenaMax reads them), so an alias it overrides is left out.
     */
    public static List<Asked> asked(Map<String, String> env) {
        List<Asked> tunables = new ArrayList<>();
        for (String item : env.getOrDefault("GLIBC_TUNABLES", "").split(":")) {
            int eq = item.indexOf('=');
            if (eq > 0 && item.startsWith("glibc.malloc.")) {
                tunables.add(new Asked("GLIBC_TUNABLES " + item, item.substring(0, eq), parseLikeGlibc(item.substring(
                        eq + 1))));
            }
        }
        List<Asked> out = new ArrayList<>();
        env.forEach((k, v) -> {
            if (ALIASES.containsKey(k) && tunables.stream().noneMatch(t -> t.tunable().equals(ALIASES.get(k)))) {
                out.add(new Asked(k + "=" + v, ALIASES.get(k), parseLikeGlibc(v)));
            }
        });
        out.addAll(tunables);
        return out;
    }

    /** Whether a setting of this tunable, taken, switches glibc's dynamic threshold off. */
    public static boolean disablesDynamic(String tunable) {
        return DISABLE_DYNAMIC.contains(tunable);
    }

    /** The largest mmap threshold malloc takes (do_set_mmap_threshold: HEAP_MAX_SIZE / 2). */
    public static long mmapThresholdMax() {
        return MMAP_THRESHOLD_MAX;
    }

    /** How the mmap threshold starts in a run under these settings. */
    public static MmapThreshold.Rule threshold(List<SettingCheck> checks) {
        boolean fixed = false;
        long kb = MmapThreshold.DEFAULT_KB;
        for (SettingCheck c : checks) {
            if (c.applied() && DISABLE_DYNAMIC.contains(c.tunable())) {
                fixed = true;
                if (c.tunable().equals("glibc.malloc.mmap_threshold")) {
                    kb = Tunable.number(c.effective()) / 1024;
                }
            }
        }
        return fixed ? new MmapThreshold.Rule(false, kb) : MmapThreshold.Rule.DYNAMIC_FROM_DEFAULT;
    }

    /** One field for runs.csv: every check's description, or "" when the variant sets nothing. */
    public static String summary(List<SettingCheck> checks) {
        return String.join("; ", checks.stream().map(SettingCheck::describe).toList());
    }
}
