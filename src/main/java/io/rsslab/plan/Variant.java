package io.rsslab.plan;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a child is started: environment pairs on top of the parent's, and
 * whether malloc_trim(0) follows the frees.
 */
public record Variant(String name, List<EnvPair> env, boolean trim) {

    public Variant {
        env = List.copyOf(env);
        Set<String> seen = new HashSet<>();
        for (EnvPair p : env) {
            if (!seen.add(p.name())) {
                throw new IllegalArgumentException("--env " + p.name() + " is given more than once");
            }
        }
    }

    /** A variant named for what it is: baseline, trim, or custom (with pairs). */
    public static Variant of(List<EnvPair> env, boolean trim) {
        String name = env.isEmpty() ? (trim ? "trim" : "baseline") : (trim ? "custom+trim" : "custom");
        return new Variant(name, env, trim);
    }

    public Map<String, String> envMap() {
        Map<String, String> m = new LinkedHashMap<>();
        env.forEach(p -> m.put(p.name(), p.value()));
        return m;
    }

    /** The pairs as one field: NAME=VALUE separated by spaces, in the order given. */
    public String envText() {
        return env.stream().map(EnvPair::toString).collect(Collectors.joining(" "));
    }
}
