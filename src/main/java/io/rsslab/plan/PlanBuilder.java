package io.rsslab.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Turns what a command asked for into planned runs: scenarios and variants
 * by name, the matrix of them, and the checks that hold across them. Every
 * refusal is a PlanException in the user's words.
 */
public final class PlanBuilder {

    private PlanBuilder() {
    }

    /** The scenarios named (each once, in the order given). */
    public static List<Scenario> scenarios(ScenarioCatalog catalog, List<String> names) {
        return scenarios(catalog, names, java.util.Map.of());
    }

    /** The scenarios named, params (--param NAME=VALUE) applied to each churn scenario among them. */
    public static List<Scenario> scenarios(ScenarioCatalog catalog, List<String> names,
            java.util.Map<String, String> params) {
        List<Scenario> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            out.add(catalog.find(n, params).orElseThrow(() -> new PlanException(
                    "unknown scenario '" + n + "' (known: " + String.join(", ", catalog.knownNames()) + ")")));
        }
        return out;
    }

    /**
     * The catalog variants named, then the composed one (null: none);
     * baseline when neither. java: the jvm host's JVM, or null.
     */
    public static List<Variant> variants(VariantCatalog catalog, List<String> names, Variant composed,
            JvmFlags java) {
        List<Variant> out = new ArrayList<>();
        for (String n : new LinkedHashSet<>(names)) {
            out.add(catalog.variant(n, java));
        }
        if (composed != null) {
            if (out.stream().anyMatch(x -> x.name().equals(composed.name()))) {
                throw new PlanException("the composed variant is named '" + composed.name()
                        + "' like a catalog variant in this matrix; name it with --label");
            }
            out.add(composed);
        }
        if (out.isEmpty()) {
            out.add(catalog.variant("baseline", java));
        }
        return out;
    }

    /** Every scenario x variant x host x repeat; a JVM-only variant on the jvm host only. */
    public static List<RunSpec> matrix(List<Scenario> scenarios, List<Variant> variants, List<Host> hosts,
            int repeat) {
        if (repeat < 1 || repeat > 1000) {
            throw new PlanException("--repeat " + repeat + " is out of range (1 to 1000)");
        }
        List<RunSpec> plan = new ArrayList<>();
        for (Scenario s : scenarios) {
            for (Variant v : variants) {
                for (Host h : new LinkedHashSet<>(hosts)) {
                    if (v.jvmOnly() && h != Host.JVM) {
                        continue;
                    }
                    for (int r = 1; r <= repeat; r++) {
                        plan.add(new RunSpec(RunIds.next(s, h), s, h, v, r, false));
                    }
                }
            }
        }
        if (plan.isEmpty()) {
            throw new PlanException("nothing to run: the variants given apply to the jvm host only (add --host jvm)");
        }
        return plan;
    }

    /** A variant that only makes sense in a JVM is refused on another host. */
    public static void requireHost(Variant v, Host host) {
        if (v.jvmOnly() && host != Host.JVM) {
            throw new PlanException("variant " + v.name() + " applies to --host jvm only");
        }
    }

    /** --jcmd-round must be a round of every scenario planned (null: each scenario's last). */
    public static void checkJcmdRound(Integer round, List<Scenario> scenarios) {
        if (round == null) {
            return;
        }
        for (Scenario s : scenarios) {
            if (round < s.firstRound() || round > s.lastRound()) {
                throw new PlanException("--jcmd-round " + round + " is not a round of " + s.name() + " ("
                        + s.firstRound() + " to " + s.lastRound() + ")");
            }
        }
    }

    /** The round after which a run's jcmd trim happens, or null when the run has none. */
    public static Integer jcmdRound(RunSpec spec, Integer chosen) {
        if (!spec.variant().jcmdTrim() || spec.host() != Host.JVM) {
            return null;
        }
        return chosen != null ? chosen : spec.scenario().lastRound();
    }
}
