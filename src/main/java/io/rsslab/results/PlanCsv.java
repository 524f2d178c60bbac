package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.plan.EnvPair;
import io.rsslab.plan.Host;
import io.rsslab.plan.JvmFlags;
import io.rsslab.plan.PlanException;
import io.rsslab.plan.Preloads;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;

/**
 * plan.csv: every run a matrix planned, with everything needed to start it
 * again, so that --resume can complete the runs that did not finish. Read
 * back, a plan is taken as strictly as the command line that made it: a
 * catalog variant must be the catalog's, a composed one what the options
 * compose, a preload is checked again, a run id is unique and names a file.
 */
public final class PlanCsv {

    public static final CsvSchema<PlanColumn> SCHEMA = CsvSchema.of(PlanColumn.class);

    /** Run ids name files (<run_id>.malloc-info.xml): no path separator, nothing odd. */
    private static final String RUN_ID = "[A-Za-z0-9][A-Za-z0-9._+-]{0,199}";

    /** What the whole plan shares: the jvm host's JVM and options, the jcmd round. */
    public record Settings(String java, List<String> jvmArgs, Integer jcmdRound) {
        public static final Settings NONE = new Settings(null, List.of(), null);
    }

    /** A plan read back: its settings and its rows, not yet checked against the catalogs. */
    public record Plan(Path file, Settings settings, List<CsvRow<PlanColumn>> rows) {
    }

    private PlanCsv() {
    }

    public static void write(Path file, List<RunSpec> plan, Settings settings) throws IOException {
        AtomicCsv.write(file, SCHEMA.format(), p -> {
            for (RunSpec s : plan) {
                p.printRecord(row(s, settings).values());
            }
        });
    }

    static CsvRow<PlanColumn> row(RunSpec s, Settings settings) {
        Variant v = s.variant();
        return SCHEMA.row().set(PlanColumn.RUN_ID, s.runId()).set(PlanColumn.SCENARIO, s.scenario().name())
                .set(PlanColumn.HOST, s.host().label()).set(PlanColumn.VARIANT, v.name())
                .set(PlanColumn.REPEAT, s.repeat()).set(PlanColumn.ENV, v.envText())
                .set(PlanColumn.PRELOAD, v.preloadText()).set(PlanColumn.TRIM, v.trim())
                .set(PlanColumn.JVM_ARGS, String.join(" ", v.jvmArgs())).set(PlanColumn.JCMD_TRIM, v.jcmdTrim())
                .set(PlanColumn.RELATIVE_TIME, v.relativeTime()).set(PlanColumn.DESCRIPTION, v.description())
                .set(PlanColumn.JAVA, settings.java()).set(PlanColumn.HOST_JVM_ARGS, String.join(" ", settings.jvmArgs()))
                .set(PlanColumn.JCMD_ROUND, settings.jcmdRound());
    }

    /** The plan's rows and settings; a file that is no plan is an IllegalArgumentException naming why. */
    public static Plan read(Path file) throws IOException {
        List<CsvRow<PlanColumn>> rows = SCHEMA.read(file, false).rows();
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + " plans no run");
        }
        CsvRow<PlanColumn> first = rows.get(0);
        for (CsvRow<PlanColumn> r : rows) {
            for (PlanColumn c : List.of(PlanColumn.JAVA, PlanColumn.HOST_JVM_ARGS, PlanColumn.JCMD_ROUND)) {
                if (!r.get(c).equals(first.get(c))) {
                    throw new IllegalArgumentException(file + ": the rows disagree on " + c.header());
                }
            }
        }
        Integer jcmdRound;
        try {
            jcmdRound = first.isEmpty(PlanColumn.JCMD_ROUND) ? null : Integer.valueOf(first.get(PlanColumn.JCMD_ROUND));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": jcmd_round '" + first.get(PlanColumn.JCMD_ROUND)
                    + "' is not a round");
        }
        return new Plan(file, new Settings(first.isEmpty(PlanColumn.JAVA) ? null : first.get(PlanColumn.JAVA),
                words(first.get(PlanColumn.HOST_JVM_ARGS)), jcmdRound), rows);
    }

    /**
     * The planned runs, each checked as the command line checks it; java is
     * the plan's jvm host JVM (null when it has none). Anything else is an
     * IllegalArgumentException naming the line.
     */
    public static List<RunSpec> specs(Plan plan, ScenarioCatalog scenarios, VariantCatalog variants, JvmFlags java) {
        List<RunSpec> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < plan.rows().size(); i++) {
            CsvRow<PlanColumn> c = plan.rows().get(i);
            String at = plan.file() + " line " + (i + 2) + ": ";
            try {
                out.add(spec(c, scenarios, variants, java, ids));
            } catch (PlanException | IllegalArgumentException e) {
                throw new IllegalArgumentException(at + e.getMessage());
            }
        }
        if (out.stream().anyMatch(s -> s.host() == Host.JVM) != (java != null)) {
            throw new IllegalArgumentException(plan.file() + ": the java column does not match the plan's hosts");
        }
        return out;
    }

    private static RunSpec spec(CsvRow<PlanColumn> c, ScenarioCatalog scenarios, VariantCatalog variants,
            JvmFlags java, Set<String> ids) {
        String id = c.get(PlanColumn.RUN_ID);
        if (!id.matches(RUN_ID)) {
            throw new IllegalArgumentException("run id '" + id + "' is not one rsslab makes");
        }
        if (!ids.add(id)) {
            throw new IllegalArgumentException("run id " + id + " is planned twice");
        }
        Scenario s = scenarios.find(c.get(PlanColumn.SCENARIO)).orElseThrow(() -> new IllegalArgumentException(
                "unknown scenario '" + c.get(PlanColumn.SCENARIO) + "'"));
        Host h = Arrays.stream(Host.values()).filter(x -> x.label().equals(c.get(PlanColumn.HOST))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown host '" + c.get(PlanColumn.HOST) + "'"));
        int repeat;
        try {
            repeat = Integer.parseInt(c.get(PlanColumn.REPEAT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("repeat '" + c.get(PlanColumn.REPEAT) + "' is not a number");
        }
        if (repeat < 1 || repeat > 1000) {
            throw new IllegalArgumentException("repeat " + repeat + " is out of range (1 to 1000)");
        }
        Variant v = variant(c, variants, java);
        if (v.jvmOnly() && h != Host.JVM) {
            throw new IllegalArgumentException("variant " + v.name() + " applies to the jvm host only");
        }
        return new RunSpec(id, s, h, v, repeat, false);
    }

    /** The row's variant as the command line would make it now: the catalog's, or composed on baseline. */
    private static Variant variant(CsvRow<PlanColumn> c, VariantCatalog variants, JvmFlags java) {
        String name = c.get(PlanColumn.VARIANT);
        Variant expected;
        if (variants.find(name).isPresent()) {
            expected = variants.variant(name, java);
        } else {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
                throw new IllegalArgumentException("variant name '" + name + "' is not one rsslab makes");
            }
            List<EnvPair> env = parsePairs(c.get(PlanColumn.ENV));
            String preload = c.isEmpty(PlanColumn.PRELOAD) ? null : Preloads.check(Path.of(c.get(PlanColumn.PRELOAD)));
            boolean trim = Boolean.parseBoolean(c.get(PlanColumn.TRIM));
            if (env.isEmpty() && preload == null && !trim) {
                throw new IllegalArgumentException("unknown variant '" + name + "' (not in the catalog, and it "
                        + "composes nothing)");
            }
            Variant unnamed = Variant.BASELINE.compose(null, env, preload, trim, List.of());
            expected = unnamed.name().equals(name) ? unnamed
                    : Variant.BASELINE.compose(name, env, preload, trim, List.of());
        }
        Variant got = new Variant(name, c.get(PlanColumn.DESCRIPTION), parsePairs(c.get(PlanColumn.ENV)),
                c.isEmpty(PlanColumn.PRELOAD) ? null : c.get(PlanColumn.PRELOAD),
                Boolean.parseBoolean(c.get(PlanColumn.TRIM)), words(c.get(PlanColumn.JVM_ARGS)),
                Boolean.parseBoolean(c.get(PlanColumn.JCMD_TRIM)), number(c.get(PlanColumn.RELATIVE_TIME)));
        String differs = differs(expected, got);
        if (differs != null) {
            throw new IllegalArgumentException("variant " + name + " is not what rsslab plans under that name now ("
                    + differs + " differs)");
        }
        return expected;
    }

    private static String differs(Variant a, Variant b) {
        if (!a.envText().equals(b.envText())) {
            return "env";
        }
        if (!Objects.equals(a.preload(), b.preload())) {
            return "preload";
        }
        if (a.trim() != b.trim()) {
            return "trim";
        }
        if (!a.jvmArgs().equals(b.jvmArgs())) {
            return "jvm_args";
        }
        if (a.jcmdTrim() != b.jcmdTrim()) {
            return "jcmd_trim";
        }
        if (Double.compare(a.relativeTime(), b.relativeTime()) != 0) {
            return "relative_time";
        }
        return a.description().equals(b.description()) ? null : "description";
    }

    /** The env column's pairs: split before each NAME=, so a value may hold a space. */
    private static List<EnvPair> parsePairs(String text) {
        List<EnvPair> env = new ArrayList<>();
        for (String pair : text.isEmpty() ? new String[0] : text.split(" (?=[A-Za-z_][A-Za-z0-9_]*=)")) {
            env.add(EnvPair.parse(pair));
        }
        return env;
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("relative_time '" + s + "' is not a number");
        }
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.split(" ")).filter(x -> !x.isEmpty()).toList();
    }
}
