package io.rsslab.plan;

import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.DataFiles;

/** The scenarios the C core implements, read from data/scenarios.csv in the jar. */
public final class ScenarioCatalog {

    private final List<Scenario> scenarios;

    private ScenarioCatalog(List<Scenario> scenarios) {
        this.scenarios = List.copyOf(scenarios);
    }

    public static ScenarioCatalog load() {
        return new ScenarioCatalog(DataFiles.readCsv("scenarios.csv", ScenarioCatalog::scenario));
    }

    private static Scenario scenario(CSVRecord r) {
        return new Scenario(r.get("name"), r.get("description"),
                Integer.parseInt(r.get("first_round")), Integer.parseInt(r.get("last_round")),
                Integer.parseInt(r.get("allocations_per_round")),
                Long.parseLong(r.get("peak_mib")), Double.parseDouble(r.get("typical_seconds")), r.get("source"));
    }

    public List<Scenario> all() {
        return scenarios;
    }

    /** A catalog scenario, or a trace ("trace:PATH", see TraceScenario: a bad trace is a PlanException). */
    public Optional<Scenario> find(String name) {
        if (TraceScenario.is(name)) {
            return Optional.of(TraceScenario.of(name));
        }
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return scenarios.stream().map(Scenario::name).toList();
    }
}
