package io.rsslab.plan;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The periodic trimmer's policy variables (librsslab-trim.so, src/main/c/trim_preload.c), checked with the
 * library's own rules before any child starts: the library ignores a bad value (it must never stop the program
 * it is loaded into), so a variant that gives one would measure something other than it says.
 */
public final class TrimPolicy {

    /** trim_preload.c parse_interval: digits, then ms, s, m or h (none: seconds), 1 ms to 24 h. */
    private static final Pattern INTERVAL = Pattern.compile("([0-9]{1,12})(ms|s|m|h)?");
    /** parse_size_kb: digits, then K, M or G (either case), optionally B or iB. */
    private static final Pattern SIZE = Pattern.compile("[0-9]{1,16}([KkMmGg](i?B)?)?");
    private static final long DAY_MS = 24L * 3600 * 1000;

    /** The variable that turns the trimmer on; a variant that preloads it sets it. */
    public static final String INTERVAL_ENV = "RSSLAB_TRIM_INTERVAL";
    /** The log of every trim (trim_preload.c LOG_HEADER), which rsslab puts into the run's folder. */
    public static final String LOG_ENV = "RSSLAB_TRIM_LOG";

    private TrimPolicy() {
    }

    /** env with the trimmer's log named, when env turns the trimmer on; else env itself. */
    public static Map<String, String> withLog(Map<String, String> env, Path log) {
        if (!env.containsKey(INTERVAL_ENV) || env.containsKey(LOG_ENV)) {
            return env;
        }
        Map<String, String> m = new LinkedHashMap<>(env);
        m.put(LOG_ENV, log.toAbsolutePath().toString());
        return m;
    }

    /** null when the pair is not the trimmer's or is a value it takes; else why not, for the user. */
    static String problem(EnvPair p) {
        String v = p.value();
        switch (p.name()) {
            case "RSSLAB_TRIM_INTERVAL": {
                var m = INTERVAL.matcher(v);
                long unit = !m.matches() ? 0 : m.group(2) == null || m.group(2).equals("s") ? 1000
                        : m.group(2).equals("ms") ? 1 : m.group(2).equals("m") ? 60_000 : 3_600_000;
                long ms = unit == 0 ? 0 : Long.parseLong(m.group(1)) * unit;
                return ms >= 1 && ms <= DAY_MS ? null : "an interval from 1ms to 24h, e.g. 30s, 500ms, 2m";
            }
            case "RSSLAB_TRIM_MIN":
                return SIZE.matcher(v).matches() ? null : "a size, e.g. 4M, 512K";
            case "RSSLAB_TRIM_MAX_BACKOFF":
                return v.matches("[0-9]{1,4}") && Integer.parseInt(v) >= 1 && Integer.parseInt(v) <= 1024 ? null
                        : "1 to 1024 intervals";
            case "RSSLAB_TRIM_ALLOCATOR":
                return v.equals("glibc") ? null : "only glibc";
            case "RSSLAB_TRIM_LOG":
                return "set by rsslab: each run's log goes into its results folder";
            default:
                return null;
        }
    }
}
