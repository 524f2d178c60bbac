package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.plan.EnvPair;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;

/**
 * plan.csv: every run a matrix planned, with everything needed to start it
 * again, so that --resume can complete the runs that did not finish.
 */
public final class PlanCsv {

    public static final CsvSchema<PlanColumn> SCHEMA = CsvSchema.of(PlanColumn.class);

    private PlanCsv() {
    }

    public static void write(Path file, List<RunSpec> plan) throws IOException {
        AtomicCsv.write(file, SCHEMA.format(), p -> {
            for (RunSpec s : plan) {
                p.printRecord(row(s).values());
            }
        });
    }

    static CsvRow<PlanColumn> row(RunSpec s) {
        Variant v = s.variant();
        return SCHEMA.row().set(PlanColumn.RUN_ID, s.runId()).set(PlanColumn.SCENARIO, s.scenario().name())
                .set(PlanColumn.HOST, s.host().label()).set(PlanColumn.VARIANT, v.name())
                .set(PlanColumn.REPEAT, s.repeat()).set(PlanColumn.ENV, v.envText())
                .set(PlanColumn.PRELOAD, v.preloadText()).set(PlanColumn.TRIM, v.trim())
                .set(PlanColumn.JVM_ARGS, String.join(" ", v.jvmArgs())).set(PlanColumn.JCMD_TRIM, v.jcmdTrim())
                .set(PlanColumn.RELATIVE_TIME, v.relativeTime()).set(PlanColumn.DESCRIPTION, v.description());
    }

    /** The planned runs; a file that is not a plan is an IllegalArgumentException naming what is wrong. */
    public static List<RunSpec> read(Path file, ScenarioCatalog scenarios) throws IOException {
        List<RunSpec> plan = new ArrayList<>();
        try {
            for (CsvRow<PlanColumn> c : SCHEMA.read(file, false).rows()) {
                Scenario s = scenarios.find(c.get(PlanColumn.SCENARIO)).orElseThrow(() -> new IllegalArgumentException(
                        file + ": unknown scenario " + c.get(PlanColumn.SCENARIO)));
                Host h = Arrays.stream(Host.values()).filter(x -> x.label().equals(c.get(PlanColumn.HOST))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(file + ": unknown host " + c.get(PlanColumn.HOST)));
                List<EnvPair> env = new ArrayList<>();
                for (String pair : c.get(PlanColumn.ENV).split(" ")) {
                    if (!pair.isEmpty()) {
                        env.add(EnvPair.parse(pair));
                    }
                }
                List<String> jvm = Arrays.stream(c.get(PlanColumn.JVM_ARGS).split(" ")).filter(x -> !x.isEmpty())
                        .toList();
                Variant v = new Variant(c.get(PlanColumn.VARIANT), c.get(PlanColumn.DESCRIPTION), env,
                        c.isEmpty(PlanColumn.PRELOAD) ? null : c.get(PlanColumn.PRELOAD),
                        Boolean.parseBoolean(c.get(PlanColumn.TRIM)), jvm,
                        Boolean.parseBoolean(c.get(PlanColumn.JCMD_TRIM)), c.getDouble(PlanColumn.RELATIVE_TIME));
                plan.add(new RunSpec(c.get(PlanColumn.RUN_ID), s, h, v, Integer.parseInt(c.get(PlanColumn.REPEAT)),
                        false));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " is not a valid plan: " + e.getMessage());
        }
        return plan;
    }
}
