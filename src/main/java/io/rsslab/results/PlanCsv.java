package io.rsslab.results;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.AtomicCsv;
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

    public static final List<String> COLUMNS = List.of("run_id", "scenario", "host", "variant", "repeat", "env",
            "preload", "trim", "jvm_args", "jcmd_trim", "relative_time", "description");

    private PlanCsv() {
    }

    public static void write(Path file, List<RunSpec> plan) throws IOException {
        AtomicCsv.write(file, CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get(), p -> {
            for (RunSpec s : plan) {
                Variant v = s.variant();
                p.printRecord(s.runId(), s.scenario().name(), s.host().label(), v.name(), s.repeat(), v.envText(),
                        v.preloadText(), v.trim(), String.join(" ", v.jvmArgs()), v.jcmdTrim(), v.relativeTime(),
                        v.description());
            }
        });
    }

    /** The planned runs; a file that is not a plan is an IllegalArgumentException naming what is wrong. */
    public static List<RunSpec> read(Path file, ScenarioCatalog scenarios) throws IOException {
        List<RunSpec> plan = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (CSVRecord c : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                if (!c.isConsistent() || !c.getParser().getHeaderNames().equals(COLUMNS)) {
                    throw new IllegalArgumentException(file + " line " + c.getRecordNumber() + " is not a plan row");
                }
                Scenario s = scenarios.find(c.get("scenario")).orElseThrow(() -> new IllegalArgumentException(
                        file + ": unknown scenario " + c.get("scenario")));
                Host h = Arrays.stream(Host.values()).filter(x -> x.label().equals(c.get("host"))).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(file + ": unknown host " + c.get("host")));
                List<EnvPair> env = new ArrayList<>();
                for (String pair : c.get("env").split(" ")) {
                    if (!pair.isEmpty()) {
                        env.add(EnvPair.parse(pair));
                    }
                }
                List<String> jvm = Arrays.stream(c.get("jvm_args").split(" ")).filter(x -> !x.isEmpty()).toList();
                Variant v = new Variant(c.get("variant"), c.get("description"), env,
                        c.get("preload").isEmpty() ? null : c.get("preload"), Boolean.parseBoolean(c.get("trim")),
                        jvm, Boolean.parseBoolean(c.get("jcmd_trim")), Double.parseDouble(c.get("relative_time")));
                plan.add(new RunSpec(c.get("run_id"), s, h, v, Integer.parseInt(c.get("repeat")), false));
            }
        } catch (IllegalStateException | java.io.UncheckedIOException | NumberFormatException e) {
            throw new IllegalArgumentException(file + " is not a valid plan: " + e.getMessage());
        }
        return plan;
    }
}
