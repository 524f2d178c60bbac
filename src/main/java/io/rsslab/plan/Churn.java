package io.rsslab.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The parametric scenario "churn" (src/main/c/churn.c): its parameters, their
 * values checked as the C core checks them (and more: what does not apply is
 * refused), and the canonical text that names a run's scenario, goes to the
 * child as its scenario argument, and stands in plan.csv so that --resume
 * finds it again:
 *
 * <pre>churn:LABEL:rounds=20,first_round=1,allocs=64,...</pre>
 *
 * Only the parameters that apply are written (size with dist=fixed, step
 * with shape=rising, ...). The declared peak, for the memory guard and the
 * scheduler, is computed from the parameters: see {@link #peakBytes()}.
 */
public final class Churn {

    public static final String PREFIX = "churn:";
    /** The label of the bare scenario (no file). */
    public static final String BARE = "churn";
    static final int MAX_THREADS = 64;
    static final int MAX_ALLOCS = 1_000_000;
    static final int MAX_ROUNDS = 10_000;
    static final long MAX_BYTES = 1L << 40;
    private static final long PAGE = 4096;
    private static final long MIB = 1L << 20;

    /** How a parameter's value is written. */
    public enum Kind { INT, BYTES, FRACTION, WORD }

    /** A parameter: its name, kind, range or words, default, and when it applies. */
    public record Param(String name, Kind kind, long min, long max, List<String> words, String defaultValue,
            Predicate<Map<String, String>> applies, String help) {

        /** Whether a sweep can step through it (a number). */
        public boolean numeric() {
            return kind != Kind.WORD;
        }

        /** Whether its values are bytes. */
        public boolean bytes() {
            return kind == Kind.BYTES;
        }
    }

    private static final Predicate<Map<String, String>> ALWAYS = v -> true;

    /** In canonical order (= churn.c's keys). */
    public static final List<Param> PARAMS = List.of(
            new Param("rounds", Kind.INT, 1, MAX_ROUNDS, null, "20", ALWAYS, "rounds of allocate, touch, free"),
            new Param("first_round", Kind.INT, 0, 1_000_000, null, "1", ALWAYS,
                    "the first round's number k (rising sizes grow with k)"),
            new Param("allocs", Kind.INT, 1, MAX_ALLOCS, null, "64", ALWAYS, "blocks each thread allocates per round"),
            new Param("threads", Kind.INT, 1, MAX_THREADS, null, "1", ALWAYS,
                    "threads, each its own loop (so its own arena), in lock step"),
            new Param("dist", Kind.WORD, 0, 0, List.of("fixed", "article", "uniform", "loguniform"), "fixed", ALWAYS,
                    "block sizes: fixed (size), article ((random() % pages) * 4096), uniform or loguniform in [min, max]"),
            new Param("size", Kind.BYTES, 0, MAX_BYTES, null, "1M", v -> v.get("dist").equals("fixed"),
                    "the fixed block size (dist=fixed)"),
            new Param("pages", Kind.INT, 1, 1L << 28, null, "8192", v -> v.get("dist").equals("article"),
                    "N in the article's (random() % N) * 4096 (dist=article; 8192 is example 1)"),
            new Param("min", Kind.BYTES, 1, MAX_BYTES, null, "4K", Churn::ranged, "the smallest block (uniform, loguniform)"),
            new Param("max", Kind.BYTES, 1, MAX_BYTES, null, "1M", Churn::ranged, "the largest block (uniform, loguniform)"),
            new Param("jitter_pages", Kind.INT, 0, 1L << 28, null, "0", ALWAYS,
                    "minus (random() % N) * 4096 from each size, as the article's example 4 (0: none)"),
            new Param("shape", Kind.WORD, 0, 0, List.of("saw", "leak", "rising"), "saw", ALWAYS,
                    "saw: all freed; leak: a fraction never freed; rising: + step * (k + i), as example 4"),
            new Param("step", Kind.BYTES, 0, 1L << 32, null, "1M", v -> v.get("shape").equals("rising"),
                    "bytes added per round and per block index (shape=rising)"),
            new Param("leak", Kind.FRACTION, 0, 0, null, "0.1", v -> v.get("shape").equals("leak"),
                    "the fraction of each round's blocks never freed (shape=leak)"),
            new Param("free", Kind.WORD, 0, 0, List.of("in-order", "reverse", "shuffled"), "in-order", ALWAYS,
                    "the order a round's blocks are freed in"),
            new Param("seal_every", Kind.INT, 0, MAX_ALLOCS, null, "0", ALWAYS,
                    "every n-th block stays live into the next round, pinning the heap (0: none)"),
            new Param("touch", Kind.FRACTION, 0, 0, null, "1", ALWAYS,
                    "the fraction of each block's pages written, from its start (1: every page, as the article)"),
            new Param("seed", Kind.INT, 0, 0xFFFF_FFFFL, null, "0", ALWAYS,
                    "thread t draws from random_r seeded seed + t (thread 0 = srand(seed), as the article's srand(0))"));

    private final String label;
    private final String description;
    private final String source;
    private final Map<String, String> values;

    private Churn(String label, String description, String source, Map<String, String> values) {
        this.label = label;
        this.description = description;
        this.source = source;
        this.values = values;
    }

    private static boolean ranged(Map<String, String> v) {
        return v.get("dist").equals("uniform") || v.get("dist").equals("loguniform");
    }

    public static boolean is(String name) {
        return name.startsWith(PREFIX);
    }

    public static boolean is(Scenario s) {
        return is(s.name());
    }

    /** The label of a churn scenario's name ("churn:LABEL:..."), or null for another scenario. */
    public static String labelOf(String scenarioName) {
        if (!is(scenarioName)) {
            return null;
        }
        String rest = scenarioName.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? rest : rest.substring(0, colon);
    }

    public static Param param(String name) {
        for (Param p : PARAMS) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new PlanException("unknown parameter '" + name + "' (churn's parameters: "
                + String.join(", ", PARAMS.stream().map(Param::name).toList()) + ")");
    }

    /**
     * A churn scenario: the defaults, then base (a scenario file's values, of
     * which those that do not apply are dropped), then given (--param: each
     * must apply). description/source say where it came from.
     */
    public static Churn of(String label, String description, String source, Map<String, String> base,
            Map<String, String> given) {
        if (!label.matches("[a-z0-9_-]+")) {
            throw new PlanException("a churn scenario's name is lower-case letters, digits, - and _: " + label);
        }
        Map<String, String> all = new LinkedHashMap<>();
        for (Param p : PARAMS) {
            all.put(p.name(), canonical(p, p.defaultValue()));
        }
        for (Map.Entry<String, String> e : base.entrySet()) {
            all.put(e.getKey(), canonical(param(e.getKey()), e.getValue()));
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            all.put(e.getKey(), canonical(param(e.getKey()), e.getValue()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Param p : PARAMS) {
            if (p.applies().test(all)) {
                values.put(p.name(), all.get(p.name()));
            } else if (given.containsKey(p.name())) {
                throw new PlanException("parameter " + p.name() + " does not apply here: " + p.help());
            }
        }
        Churn c = new Churn(label, description, source, values);
        c.check();
        return c;
    }

    /** The churn scenario a canonical text names (plan.csv, the child's header), checked as strictly. */
    public static Churn parse(String name) {
        String rest = name.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new PlanException("scenario " + name + ": churn:LABEL:KEY=VALUE,... expected");
        }
        Map<String, String> given = new LinkedHashMap<>();
        String params = rest.substring(colon + 1);
        if (!params.isEmpty()) {
            for (String kv : params.split(",", -1)) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new PlanException("scenario " + name + ": parameters are KEY=VALUE separated by commas");
                }
                if (given.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                    throw new PlanException("scenario " + name + ": parameter " + kv.substring(0, eq) + " given twice");
                }
            }
        }
        String label = rest.substring(0, colon);
        return of(label, describe(label), "parameters " + params, Map.of(), given);
    }

    /** A sentence for a bare churn scenario (no file says what it models). */
    static String describe(String label) {
        return label.equals(BARE) ? "churn: the article's loop with its constants as parameters"
                : "churn scenario " + label;
    }

    /** The value as churn.c reads it: bytes and integers in decimal, fractions as 0.xxxxxx, words as they are. */
    static String canonical(Param p, String raw) {
        String v = raw.trim();
        switch (p.kind()) {
            case WORD -> {
                if (!p.words().contains(v)) {
                    throw new PlanException("parameter " + p.name() + "=" + raw + ": one of " + String.join(", ", p.words()));
                }
                return v;
            }
            case FRACTION -> {
                return fraction(p, v);
            }
            default -> {
                long n = p.kind() == Kind.BYTES ? bytes(p.name(), v) : integer(p.name(), v);
                if (n < p.min() || n > p.max()) {
                    throw new PlanException("parameter " + p.name() + "=" + raw + " is out of range (" + show(p, p.min())
                            + " to " + show(p, p.max()) + ")");
                }
                return Long.toString(n);
            }
        }
    }

    private static String show(Param p, long n) {
        return p.kind() == Kind.BYTES ? Sizes.format(n) : Long.toString(n);
    }

    private static long integer(String name, String v) {
        if (!v.matches("[0-9]{1,12}")) {
            throw new PlanException("parameter " + name + "=" + v + ": a whole number expected");
        }
        return Long.parseLong(v);
    }

    private static long bytes(String name, String v) {
        try {
            return Sizes.parse(v);
        } catch (IllegalArgumentException e) {
            throw new PlanException("parameter " + name + "=" + v + ": " + e.getMessage());
        }
    }

    /** 0..1 with at most six decimals (churn.c carries parts per million), written without trailing zeros. */
    private static String fraction(Param p, String v) {
        if (!v.matches("[0-9]*\\.?[0-9]+")) {
            throw new PlanException("parameter " + p.name() + "=" + v + ": a fraction from 0 to 1 expected");
        }
        java.math.BigDecimal d = new java.math.BigDecimal(v);
        if (d.signum() < 0 || d.compareTo(java.math.BigDecimal.ONE) > 0 || d.scale() > 6) {
            throw new PlanException("parameter " + p.name() + "=" + v
                    + ": a fraction from 0 to 1 with at most six decimals expected");
        }
        return d.signum() == 0 ? "0" : d.compareTo(java.math.BigDecimal.ONE) == 0 ? "1"
                : d.stripTrailingZeros().toPlainString();
    }

    /** What the parameters cannot mean together. */
    private void check() {
        if (values.containsKey("min") && num("min") > num("max")) {
            throw new PlanException("parameter min=" + Sizes.format(num("min")) + " is above max="
                    + Sizes.format(num("max")));
        }
        if (num("seal_every") > num("allocs")) {
            throw new PlanException("seal_every=" + num("seal_every") + " is more than allocs=" + num("allocs")
                    + ": no block would be sealed");
        }
        if ((long) num("allocs") * 9 > 16_000_000L) {
            throw new PlanException("allocs=" + num("allocs") + " is more than churn's bookkeeping holds");
        }
        if (num("first_round") + num("rounds") - 1 > 1_000_000) {
            throw new PlanException("first_round + rounds is beyond round 1000000");
        }
        long largest = maxSize();
        if (largest > MAX_BYTES) {
            throw new PlanException("the largest block would be " + Sizes.format(largest) + ", more than "
                    + Sizes.format(MAX_BYTES));
        }
    }

    public String label() {
        return label;
    }

    /** The parameter's value as written in the canonical text, or null where it does not apply. */
    public String value(String param) {
        return values.get(param);
    }

    public Map<String, String> values() {
        return values;
    }

    private long num(String p) {
        return Long.parseLong(values.get(p));
    }

    public String name() {
        StringBuilder b = new StringBuilder(PREFIX).append(label).append(':');
        values.forEach((k, v) -> b.append(k).append('=').append(v).append(','));
        b.setLength(b.length() - 1);
        return b.toString();
    }

    public int firstRound() {
        return (int) num("first_round");
    }

    public int lastRound() {
        return (int) (num("first_round") + num("rounds") - 1);
    }

    /** The scenario planning needs: rounds, blocks per round (all threads), peak and typical time. */
    public Scenario scenario() {
        long peakMib = (peakBytes() + MIB - 1) / MIB;
        return new Scenario(name(), description, firstRound(), lastRound(),
                (int) Math.min(Integer.MAX_VALUE, num("allocs") * num("threads")), peakMib, typicalSeconds(), source);
    }

    /** The mean and variance of one draw from the distribution (before step and jitter). */
    private double[] drawMoments() {
        switch (values.get("dist")) {
            case "fixed" -> {
                return new double[] {num("size"), 0};
            }
            case "article" -> {
                double n = num("pages");
                double mean = (n - 1) / 2 * PAGE;
                return new double[] {mean, (n * n - 1) / 12 * PAGE * PAGE};
            }
            case "uniform" -> {
                double a = num("min");
                double b = num("max");
                return new double[] {(a + b) / 2, (b - a + 1) * (b - a + 1) / 12};
            }
            default -> {
                double a = num("min");
                double b = num("max");
                if (a == b) {
                    return new double[] {a, 0};
                }
                double l = Math.log(b / a);
                double mean = (b - a) / l;
                double second = (b * b - a * a) / (2 * l);
                return new double[] {mean, Math.max(0, second - mean * mean)};
            }
        }
    }

    /** The largest block the parameters can draw. */
    long maxSize() {
        long top = switch (values.get("dist")) {
            case "fixed" -> num("size");
            case "article" -> (num("pages") - 1) * PAGE;
            default -> num("max");
        };
        if (values.get("shape").equals("rising")) {
            top += num("step") * (lastRound() + num("allocs") - 1);
        }
        return top;
    }

    /** The mean size of block i in round k. */
    /**
     * The expected bytes of round k's blocks: the sum over i of max(0, mean + step * (k + i) - jitter), in
     * closed form (a round may have a million blocks and a run ten thousand rounds). The terms grow with i,
     * so those below zero are the first ones.
     */
    private double roundBytes(int k, double drawMean) {
        long n = num("allocs");
        double step = values.get("shape").equals("rising") ? num("step") : 0;
        double a = drawMean - (num("jitter_pages") > 0 ? (num("jitter_pages") - 1) / 2.0 * PAGE : 0) + step * k;
        long first = 0;
        if (a < 0) {
            first = step == 0 ? n : Math.min(n, (long) Math.ceil(-a / step));
        }
        long count = n - first;
        return count * a + step * (first + n - 1) * count / 2.0;
    }

    /**
     * The declared peak: the largest live set the parameters expect (the mean
     * sizes of a round's blocks, those sealed from the round before and every
     * block leaked so far, all threads, plus three standard deviations of a
     * random sum), plus the round before's blocks again (what the allocator
     * may still keep when a round starts: the article's retention), plus 16
     * MiB for the process itself. An estimate, not a bound: rsslab's memory
     * guard and the cgroup's own limit stand behind it.
     */
    public long peakBytes() {
        double[] m = drawMoments();
        long allocs = num("allocs");
        long threads = num("threads");
        long seal = num("seal_every");
        long sealed = seal > 0 ? allocs / seal : 0;
        double leakFraction = values.containsKey("leak") ? Double.parseDouble(values.get("leak")) : 0;
        long leakedPerRound = (long) Math.floor(allocs * leakFraction);
        double best = 0;
        double previous = 0;
        double leaked = 0;
        for (int k = firstRound(); k <= lastRound(); k++) {
            double round = roundBytes(k, m[0]);
            double live = round + sealed * (previous / Math.max(1, allocs)) + leaked;
            best = Math.max(best, live + previous);
            leaked += leakedPerRound * (round / allocs);
            previous = round;
        }
        double sigma = Math.sqrt(m[1] * allocs) * 3;
        return (long) ((best + 2 * sigma) * threads) + 16 * MIB;
    }

    /** A guess for longest-first scheduling: a microsecond a call, and 0.4 s per GB of pages written. */
    public double typicalSeconds() {
        double touched = Double.parseDouble(values.get("touch"));
        double perRound = roundBytes(lastRound(), drawMoments()[0]);
        double seconds = num("rounds") * num("threads") * (num("allocs") * 2e-6 + perRound * touched * 0.4e-9);
        return Math.max(0.05, seconds);
    }

    /** Every parameter name, for the CSV columns. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Param p : PARAMS) {
            n.add(p.name());
        }
        return n;
    }

    /** The parameters whose values are words (not swept by ranges). */
    static Set<String> words() {
        Set<String> w = new java.util.HashSet<>();
        PARAMS.stream().filter(p -> !p.numeric()).forEach(p -> w.add(p.name()));
        return w;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s", name());
    }
}
