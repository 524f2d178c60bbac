package io.rsslab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Host;
import io.rsslab.results.EnvironmentColumn;
import io.rsslab.results.EnvironmentCsv;
import io.rsslab.results.PlanColumn;
import io.rsslab.results.PlanCsv;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RoundsColumn;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.RunsColumn;
import io.rsslab.results.RunsCsv;

/**
 * A results folder read back for the report, each file through its schema:
 * a folder that is not one, or a file that is not valid CSV of its kind, is
 * a BadResultsException naming what is wrong.
 */
record ResultsData(Path folder, List<CsvRow<EnvironmentColumn>> environment, List<CsvRow<RunsColumn>> runs,
        List<CsvRow<RoundsColumn>> rounds) {

    /** environment.csv of a folder (a try folder too), through its schema. */
    static List<CsvRow<EnvironmentColumn>> environment(Path folder) throws IOException, BadResultsException {
        try {
            return EnvironmentCsv.SCHEMA.read(folder.resolve(ResultsFolder.ENVIRONMENT), false).rows();
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
    }

    static ResultsData read(Path folder) throws IOException, BadResultsException {
        if (!Files.isDirectory(folder)) {
            throw new BadResultsException(folder + " is not a folder");
        }
        for (String f : List.of(ResultsFolder.RUNS, ResultsFolder.ROUNDS, ResultsFolder.ENVIRONMENT)) {
            if (!Files.isRegularFile(folder.resolve(f))) {
                throw new BadResultsException(folder + " is not a results folder (no " + f + ")");
            }
        }
        try {
            return new ResultsData(folder, EnvironmentCsv.SCHEMA.read(folder.resolve(ResultsFolder.ENVIRONMENT),
                    false).rows(), RunsCsv.SCHEMA.read(folder.resolve(ResultsFolder.RUNS), false).rows(),
                    RoundsCsv.SCHEMA.read(folder.resolve(ResultsFolder.ROUNDS), false).rows());
        } catch (IllegalArgumentException e) {
            throw new BadResultsException(e.getMessage());
        }
    }

    /** A machine fact of environment.csv, or "". */
    String fact(String name) {
        return environment.stream().filter(r -> r.get(EnvironmentColumn.SECTION).equals("machine")
                && r.get(EnvironmentColumn.NAME).equals(name)).map(r -> r.get(EnvironmentColumn.VALUE)).findFirst()
                .orElse("");
    }

    /** The command that made the folder, or "". */
    String command() {
        return environment.stream().filter(r -> r.get(EnvironmentColumn.SECTION).equals("rsslab")
                && r.get(EnvironmentColumn.NAME).equals("command")).map(r -> r.get(EnvironmentColumn.VALUE))
                .findFirst().orElse("");
    }

    /** "glibc 2.36, kernel 6.18.44, 2 CPUs (hostname)": which machine the folder is from. */
    String machine() {
        return "glibc " + fact("glibc") + ", kernel " + fact("kernel") + ", " + fact("cpu_cores") + " CPUs ("
                + fact("hostname") + ")";
    }

    /**
     * scenario -> host -> its runs: scenarios by name, hosts native, thread,
     * jvm, runs in the order their variants were planned.
     */
    Map<String, Map<String, List<CsvRow<RunsColumn>>>> byScenarioAndHost() {
        List<String> order = List.copyOf(variants());
        List<String> hosts = Arrays.stream(Host.values()).map(Host::label).toList();
        Map<String, Map<String, List<CsvRow<RunsColumn>>>> m = new TreeMap<>();
        List<CsvRow<RunsColumn>> sorted = runs.stream().sorted(Comparator
                .comparingInt((CsvRow<RunsColumn> r) -> hosts.indexOf(r.get(RunsColumn.HOST)))
                .thenComparingInt(r -> order.indexOf(r.get(RunsColumn.VARIANT)))
                .thenComparing(r -> r.get(RunsColumn.REPEAT))).toList();
        for (CsvRow<RunsColumn> r : sorted) {
            m.computeIfAbsent(r.get(RunsColumn.SCENARIO), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.get(RunsColumn.HOST), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** The rounds of one run, in order. */
    List<CsvRow<RoundsColumn>> roundsOf(String runId) {
        return rounds.stream().filter(r -> r.get(RoundsColumn.RUN_ID).equals(runId)).toList();
    }

    /** Every variant in the folder, in the order they were planned (plan.csv), else as they finished. */
    Set<String> variants() {
        Set<String> s = new LinkedHashSet<>();
        Path plan = folder.resolve(ResultsFolder.PLAN);
        if (Files.isRegularFile(plan)) {
            try {
                PlanCsv.SCHEMA.read(plan, false).rows().forEach(r -> s.add(r.get(PlanColumn.VARIANT)));
            } catch (IOException | IllegalArgumentException e) {
                // No usable plan: the order of runs.csv.
            }
        }
        runs.forEach(r -> s.add(r.get(RunsColumn.VARIANT)));
        return s;
    }
}
