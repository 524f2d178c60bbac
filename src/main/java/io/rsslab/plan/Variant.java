package io.rsslab.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a child is started: environment pairs on top of the parent's, an
 * LD_PRELOAD library, whether malloc_trim(0) follows the frees, and JVM
 * arguments for the jvm host, and whether rsslab asks that JVM to trim its
 * native heap once (jcmd System.trim_native_heap) after one round's frees.
 * relativeTime estimates its run time against baseline, for the
 * scheduler's longest-first order.
 */
public record Variant(String name, String description, List<EnvPair> env, String preload, boolean trim,
        List<String> jvmArgs, boolean jcmdTrim, double relativeTime) {

    public Variant {
        env = List.copyOf(env);
        jvmArgs = List.copyOf(jvmArgs);
        Set<String> seen = new HashSet<>();
        for (EnvPair p : env) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("--env " + p.name() + " is given more than once");
            }
            if (p.name().equals("LD_PRELOAD")) {
                throw new IllegalArgumentException("--env LD_PRELOAD is not taken: use --preload LIBRARY, which "
                        + "rsslab checks can be preloaded and then finds in the child");
            }
            String trimProblem = TrimPolicy.problem(p);
            if (trimProblem != null) {
                throw new IllegalArgumentException("--env " + p + " is not taken by librsslab-trim.so (" + trimProblem
                        + ")");
            }
        }
    }

    public static final Variant BASELINE = new Variant("baseline", "glibc's defaults", List.of(), null, false,
            List.of(), false, 1);

    /** A variant named for what it is: baseline, trim, custom (with pairs or a preload), custom+trim. */
    public static Variant of(List<EnvPair> env, boolean trim) {
        return BASELINE.compose(null, env, null, trim, List.of());
    }

    /**
     * This variant with the user's additions: more pairs, a preload, trim,
     * JVM arguments; named label, or name+custom when something was added.
     */
    public Variant compose(String label, List<EnvPair> moreEnv, String morePreload, boolean moreTrim,
            List<String> moreJvmArgs) {
        boolean added = !moreEnv.isEmpty() || morePreload != null || (moreTrim && !trim) || !moreJvmArgs.isEmpty();
        List<EnvPair> allEnv = new ArrayList<>(env);
        allEnv.addAll(moreEnv);
        List<String> allJvm = new ArrayList<>(jvmArgs);
        allJvm.addAll(moreJvmArgs);
        if (morePreload != null && preload != null) {
            throw new IllegalArgumentException("variant " + name + " already preloads " + preload);
        }
        String newName = label != null ? label : added ? composedName(moreEnv, morePreload, moreTrim) : name;
        String newDescription = added ? description + ", plus " + describeAdditions(moreEnv, morePreload, moreTrim,
                moreJvmArgs) : description;
        return new Variant(newName, newDescription, allEnv, morePreload != null ? morePreload : preload,
                trim || moreTrim, allJvm, jcmdTrim, relativeTime);
    }

    private String composedName(List<EnvPair> moreEnv, String morePreload, boolean moreTrim) {
        boolean other = !moreEnv.isEmpty() || morePreload != null;
        String added = other ? (moreTrim ? "custom+trim" : "custom") : "trim";
        return name.equals("baseline") ? added : name + "+" + added;
    }

    private static String describeAdditions(List<EnvPair> env, String preload, boolean trim, List<String> jvm) {
        List<String> parts = new ArrayList<>();
        env.forEach(p -> parts.add(p.toString()));
        if (preload != null) {
            parts.add("LD_PRELOAD=" + preload);
        }
        if (trim) {
            parts.add("malloc_trim(0)");
        }
        jvm.forEach(parts::add);
        return String.join(" ", parts);
    }

    /** The child's additions to the parent's environment, LD_PRELOAD included. */
    public Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        env.forEach(p -> m.put(p.name(), p.value()));
        if (preload != null) {
            m.put("LD_PRELOAD", preload);
        }
        return m;
    }

    /** The pairs as one field: NAME=VALUE separated by spaces, in the order given. */
    public String envText() {
        return env.stream().map(EnvPair::toString).collect(Collectors.joining(" "));
    }

    /** Does this variant only make sense in a JVM (JVM options or a jcmd)? */
    public boolean jvmOnly() {
        return !jvmArgs.isEmpty() || jcmdTrim;
    }

    /** The same variant with JVM options put in front of its own (e.g. an unlock option). */
    public Variant withJvmArgsFirst(List<String> first) {
        List<String> all = new ArrayList<>(first);
        all.addAll(jvmArgs);
        return new Variant(name, description, env, preload, trim, all, jcmdTrim, relativeTime);
    }

    public String preloadText() {
        return preload == null ? "" : preload;
    }
}
