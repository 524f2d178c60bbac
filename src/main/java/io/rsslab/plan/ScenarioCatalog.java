package io.rsslab.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The scenarios the C core implements, read from data/scenarios.csv in the jar. */
public final class ScenarioCatalog {

    static final String RESOURCE = "/rsslab/data/scenarios.csv";

    private final List<Scenario> scenarios;

    private ScenarioCatalog(List<Scenario> scenarios) {
        this.scenarios = List.copyOf(scenarios);
    }

    public static ScenarioCatalog load() {
        try (InputStream in = ScenarioCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ScenarioCatalog read(Reader reader) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        List<Scenario> list = new ArrayList<>();
        for (CSVRecord r : format.parse(reader)) {
            list.add(new Scenario(r.get("name"), r.get("description"),
                    Integer.parseInt(r.get("first_round")), Integer.parseInt(r.get("last_round")),
                    Integer.parseInt(r.get("allocations_per_round")),
                    Long.parseLong(r.get("peak_mib")), Double.parseDouble(r.get("typical_seconds")),
                    r.get("source")));
        }
        return new ScenarioCatalog(list);
    }

    public List<Scenario> all() {
        return scenarios;
    }

    public Optional<Scenario> find(String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<String> names() {
        return scenarios.stream().map(Scenario::name).toList();
    }
}
