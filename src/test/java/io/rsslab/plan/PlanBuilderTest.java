package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PlanBuilderTest {

    static final ScenarioCatalog SCENARIOS = ScenarioCatalog.load();
    static final VariantCatalog VARIANTS = VariantCatalog.load();

    /** A JVM that has every flag and jcmd, or none. */
    static JvmFlags jvm(boolean everything) {
        return new JvmFlags() {
            @Override
            public boolean has(String flag) {
                return everything;
            }

            @Override
            public Optional<String> unlockFor(String flag) {
                return Optional.empty();
            }

            @Override
            public boolean hasJcmd() {
                return everything;
            }

            @Override
            public String describe() {
                return everything ? "a full JVM" : "a bare JVM";
            }
        };
    }

    @Test
    void theMatrixSkipsJvmOnlyVariantsOnOtherHosts() {
        List<Scenario> sc = PlanBuilder.scenarios(SCENARIOS, List.of("article-4", "article-4"));
        assertEquals(1, sc.size(), "each scenario once");
        List<Variant> vs = PlanBuilder.variants(VARIANTS, List.of("baseline", "jvm-jcmd-trim"), null, jvm(true));
        List<RunSpec> plan = PlanBuilder.matrix(sc, vs, List.of(Host.NATIVE, Host.JVM), 2);
        assertEquals(2 * 2 + 2, plan.size(), "baseline on both hosts, jcmd on the jvm only, twice each");
        assertEquals(plan.size(), plan.stream().map(RunSpec::runId).distinct().count());
        assertThrows(PlanException.class, () -> PlanBuilder.matrix(sc, vs, List.of(Host.NATIVE), 0));
        List<Variant> jvmOnly = vs.subList(1, 2);
        PlanException e = assertThrows(PlanException.class,
                () -> PlanBuilder.matrix(sc, jvmOnly, List.of(Host.NATIVE), 1));
        assertTrue(e.getMessage().startsWith("nothing to run"), e.getMessage());
    }

    @Test
    void variantsDefaultToBaselineAndRefuseWhatCannotRunHere() {
        assertEquals(List.of("baseline"), PlanBuilder.variants(VARIANTS, List.of(), null, null).stream()
                .map(Variant::name).toList());
        PlanException unknown = assertThrows(PlanException.class,
                () -> PlanBuilder.variants(VARIANTS, List.of("nope"), null, null));
        assertTrue(unknown.getMessage().startsWith("unknown variant 'nope'"), unknown.getMessage());
        PlanException noJcmd = assertThrows(PlanException.class,
                () -> PlanBuilder.variants(VARIANTS, List.of("jvm-jcmd-trim"), null, jvm(false)));
        assertTrue(noJcmd.getMessage().contains("no jcmd beside the JVM a bare JVM"), noJcmd.getMessage());
        Variant clash = Variant.BASELINE.compose("trim", List.of(new EnvPair("A", "1")), null, false, List.of());
        assertThrows(PlanException.class, () -> PlanBuilder.variants(VARIANTS, List.of("trim"), clash, null));
    }

    @Test
    void theJcmdRoundIsARoundOfEveryScenario() {
        List<Scenario> both = PlanBuilder.scenarios(SCENARIOS, List.of("article-1", "article-4"));
        PlanException e = assertThrows(PlanException.class, () -> PlanBuilder.checkJcmdRound(19, both));
        assertEquals("--jcmd-round 19 is not a round of article-4 (28 to 32)", e.getMessage());
        RunSpec jcmd = PlanBuilder.matrix(both.subList(1, 2),
                PlanBuilder.variants(VARIANTS, List.of("jvm-jcmd-trim"), null, jvm(true)), List.of(Host.JVM), 1).get(0);
        assertEquals(32, PlanBuilder.jcmdRound(jcmd, null), "the last round by default");
        assertEquals(30, PlanBuilder.jcmdRound(jcmd, 30));
    }
}
