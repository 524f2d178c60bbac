package io.rsslab.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.rsslab.machine.Fact;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.malloc.Tunable;
import io.rsslab.plan.Variant;

/** environment.csv rows for one variant: its effective malloc tunables and the judged settings. */
final class VariantFacts {

    private VariantFacts() {
    }

    static List<Fact> of(Variant v, Map<String, Tunable> loader, List<SettingCheck> checks) {
        String section = "variant " + v.name();
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact(section, "start", startText(v), v.description()));
        for (Tunable t : loader.values()) {
            if (t.name().startsWith("glibc.malloc.")) {
                facts.add(new Fact(section, t.name(), t.valueText(), "ld.so --list-tunables under the child's environment"));
            }
        }
        for (SettingCheck c : checks) {
            facts.add(new Fact(section, "setting " + c.requested(), c.status(), c.describe()));
        }
        return facts;
    }

    private static String startText(Variant v) {
        List<String> parts = new ArrayList<>();
        v.envMap().forEach((k, val) -> parts.add(k + "=" + val));
        if (v.trim()) {
            parts.add("malloc_trim(0) after the frees");
        }
        parts.addAll(v.jvmArgs());
        return parts.isEmpty() ? "(nothing changed)" : String.join(" ", parts);
    }
}
