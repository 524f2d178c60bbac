package io.rsslab.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The points of a sweep: each --param NAME=SPEC an axis, SPEC one value, a
 * list (a,b,c), a range with a step (1M..32M:1M) or a factor (64K..64M:x2);
 * the points are every combination, the first axis varying slowest.
 */
public final class Sweep {

    /** Points (children) beyond which a sweep needs --force. */
    public static final int MAX_POINTS = 10_000;
    /**
     * Runs beyond which a sweep is refused even with --force: each run is a
     * child process of its own, and the plan is held in memory (and written
     * to plan.csv) before the first run starts, so a grid of hundreds of
     * millions of points would exhaust the heap long before it could run.
     */
    public static final long MAX_FORCED = 100_000;
    /** Values one range may produce at most, whatever --force says (a typo like 1..1G:1 stops here). */
    private static final int MAX_RANGE = 1_000_000;

    private final Map<String, List<String>> axes;

    private Sweep(Map<String, List<String>> axes) {
        this.axes = axes;
    }

    /** The axes of NAME=SPEC texts, each name once; ranges only over numeric parameters. */
    public static Sweep parse(List<String> params) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String given : params) {
            int eq = given.indexOf('=');
            if (eq <= 0 || eq == given.length() - 1) {
                throw new PlanException("--param " + given + ": NAME=VALUE expected");
            }
            String name = given.substring(0, eq).trim();
            Churn.Param p = Churn.param(name);
            if (axes.containsKey(name)) {
                throw new PlanException("--param " + name + " is given twice: give its values once (a,b or a..b:step)");
            }
            axes.put(name, values(p, given.substring(eq + 1).trim()));
        }
        return new Sweep(axes);
    }

    private static List<String> values(Churn.Param p, String spec) {
        int dots = spec.indexOf("..");
        if (dots < 0) {
            List<String> out = new ArrayList<>();
            for (String v : spec.split(",", -1)) {
                if (v.isBlank()) {
                    throw new PlanException("--param " + p.name() + "=" + spec + ": an empty value in the list");
                }
                out.add(Churn.canonical(p, v.trim()));
            }
            if (out.size() != new java.util.HashSet<>(out).size()) {
                throw new PlanException("--param " + p.name() + "=" + spec + ": a value is listed twice");
            }
            return out;
        }
        if (!p.numeric()) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": a range needs a number; list the values ("
                    + String.join(",", p.words()) + ")");
        }
        int colon = spec.indexOf(':', dots);
        if (colon < 0) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": a range needs a step (LO..HI:STEP, or "
                    + "LO..HI:xFACTOR)");
        }
        BigDecimal lo = number(p, spec.substring(0, dots).trim(), spec);
        BigDecimal hi = number(p, spec.substring(dots + 2, colon).trim(), spec);
        String stepText = spec.substring(colon + 1).trim();
        if (lo.compareTo(hi) > 0) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": a bad range, its start is above its end");
        }
        List<String> out = new ArrayList<>();
        if (stepText.startsWith("x") || stepText.startsWith("*")) {
            BigDecimal factor = decimal(stepText.substring(1), p, spec);
            if (factor.compareTo(BigDecimal.ONE) <= 0) {
                throw new PlanException("--param " + p.name() + "=" + spec + ": a factor must be above 1");
            }
            if (lo.signum() <= 0) {
                throw new PlanException("--param " + p.name() + "=" + spec + ": a range by a factor starts above 0");
            }
            for (BigDecimal v = lo; v.compareTo(hi) <= 0; v = whole(p, v.multiply(factor))) {
                add(out, p, v, spec);
            }
        } else {
            BigDecimal step = number(p, stepText, spec);
            if (step.signum() == 0) {
                throw new PlanException("--param " + p.name() + "=" + spec + ": a step of zero");
            }
            for (BigDecimal v = lo; v.compareTo(hi) <= 0; v = v.add(step)) {
                add(out, p, v, spec);
            }
        }
        return out;
    }

    /** Bytes and counts step in whole units; a factor's product is rounded down to one. */
    private static BigDecimal whole(Churn.Param p, BigDecimal v) {
        return p.kind() == Churn.Kind.FRACTION ? v : v.setScale(0, java.math.RoundingMode.FLOOR);
    }

    private static void add(List<String> out, Churn.Param p, BigDecimal v, String spec) {
        if (out.size() >= MAX_RANGE) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": more than " + MAX_RANGE + " values");
        }
        String text = p.kind() == Churn.Kind.FRACTION ? v.stripTrailingZeros().toPlainString() : v.toBigInteger().toString();
        String c = Churn.canonical(p, text);
        if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
            out.add(c);
        }
    }

    private static BigDecimal number(Churn.Param p, String text, String spec) {
        try {
            return switch (p.kind()) {
                case BYTES -> BigDecimal.valueOf(Sizes.parse(text));
                case INT -> {
                    if (!text.matches("[0-9]{1,12}")) {
                        throw new IllegalArgumentException("a whole number expected");
                    }
                    yield new BigDecimal(text);
                }
                default -> decimal(text, p, spec);
            };
        } catch (IllegalArgumentException e) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": " + text + " is not a value of it ("
                    + e.getMessage() + ")");
        }
    }

    private static BigDecimal decimal(String text, Churn.Param p, String spec) {
        if (!text.matches("[0-9]*\\.?[0-9]+")) {
            throw new PlanException("--param " + p.name() + "=" + spec + ": " + text + " is not a number");
        }
        return new BigDecimal(text);
    }

    public Map<String, List<String>> axes() {
        return axes;
    }

    /** The parameters with more than one value. */
    public List<String> varying() {
        return axes.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Map.Entry::getKey).toList();
    }

    /** How many points; saturates at Long.MAX_VALUE. */
    public long size() {
        long n = 1;
        for (List<String> v : axes.values()) {
            n = v.size() > 0 && n > Long.MAX_VALUE / v.size() ? Long.MAX_VALUE : n * v.size();
        }
        return n;
    }

    /**
     * Refuses runs (points x variants x hosts x repeats, Long.MAX_VALUE for
     * more than a long holds) over MAX_POINTS without force, and over
     * MAX_FORCED in any case: counted before any point is built.
     */
    public static void checkRuns(long runs, boolean force) {
        String many = (runs == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(runs))
                + " runs (points x variants x hosts x repeats)";
        if (runs > MAX_FORCED) {
            throw new PlanException("this sweep is " + many + ", more than " + MAX_FORCED + ", the most rsslab runs "
                    + "even with --force (each run is a child process, and the whole plan is held in memory before "
                    + "the first starts): narrow it");
        }
        if (runs > MAX_POINTS && !force) {
            throw new PlanException("this sweep is " + many + ", more than " + MAX_POINTS + ": narrow it, or give "
                    + "--force");
        }
    }

    /** Every combination, the first axis slowest; never more than MAX_FORCED (see checkRuns). */
    public List<Map<String, String>> points() {
        if (size() > MAX_FORCED) {
            throw new PlanException("a sweep of " + size() + " points, more than " + MAX_FORCED + ": narrow it");
        }
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> p : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> q = new LinkedHashMap<>(p);
                    q.put(axis.getKey(), v);
                    next.add(q);
                }
            }
            out = next;
        }
        return out;
    }

    /** The single values of --param for run, matrix and hosts: a list or a range is a sweep's. */
    public Map<String, String> single() {
        Map<String, String> out = new LinkedHashMap<>();
        axes.forEach((k, v) -> {
            if (v.size() != 1) {
                throw new PlanException("--param " + k + " has " + v.size() + " values: sweeping is rsslab sweep's");
            }
            out.put(k, v.get(0));
        });
        return out;
    }
}
