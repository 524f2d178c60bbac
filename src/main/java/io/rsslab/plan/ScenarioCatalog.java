package io.rsslab.plan;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.DataFiles;

/**
 * The scenarios: the article's two programs (data/scenarios.csv), the
 * parametric churn and its scenario files (data/scenarios/NAME.properties,
 * each a description and churn parameters), and traces (trace:FILE).
 */
public final class ScenarioCatalog {

    /** A scenario file: its name (the file's, without .properties), what it models, its parameters. */
    public record ChurnFile(String name, String description, Map<String, String> params) {

        public Churn churn(Map<String, String> given) {
            return Churn.of(name, description, "data/scenarios/" + name + ".properties", params, given);
        }
    }

    static final String FILE_SUFFIX = ".properties";

    private final List<Scenario> scenarios;
    /** Read on first use: listing the jar's folder costs a zip file system (tens of ms), and most runs name an
     * article scenario. */
    private List<ChurnFile> files;

    private ScenarioCatalog(List<Scenario> scenarios) {
        this.scenarios = List.copyOf(scenarios);
    }

    public static ScenarioCatalog load() {
        return new ScenarioCatalog(DataFiles.readCsv("scenarios.csv", ScenarioCatalog::scenario));
    }

    private synchronized List<ChurnFile> files() {
        if (files == null) {
            List<ChurnFile> read = new ArrayList<>();
            DataFiles.readFolder("scenarios", FILE_SUFFIX).forEach((file, text) -> read.add(churnFile(file, text)));
            files = List.copyOf(read);
        }
        return files;
    }

    private static Scenario scenario(CSVRecord r) {
        return new Scenario(r.get("name"), r.get("description"),
                Integer.parseInt(r.get("first_round")), Integer.parseInt(r.get("last_round")),
                Integer.parseInt(r.get("allocations_per_round")),
                Long.parseLong(r.get("peak_mib")), Double.parseDouble(r.get("typical_seconds")), r.get("source"));
    }

    /** A scenario file: "description" says what it models; every other key is a churn parameter. */
    static ChurnFile churnFile(String file, String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("data/scenarios/" + file + ": " + e.getMessage(), e);
        }
        String name = file.substring(0, file.length() - FILE_SUFFIX.length());
        String description = p.getProperty("description");
        if (description == null || description.isBlank()) {
            throw new IllegalStateException("data/scenarios/" + file + " does not say what it models (description=)");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Churn.Param param : Churn.PARAMS) {
            if (p.containsKey(param.name())) {
                params.put(param.name(), p.getProperty(param.name()));
            }
        }
        for (Object key : p.keySet()) {
            if (!key.equals("description") && !params.containsKey(key)) {
                throw new IllegalStateException("data/scenarios/" + file + ": unknown parameter " + key);
            }
        }
        ChurnFile f = new ChurnFile(name, description.strip(), params);
        f.churn(Map.of());
        return f;
    }

    /** The article's scenarios (reproduce's default). */
    public List<Scenario> all() {
        return scenarios;
    }

    public List<ChurnFile> churnFiles() {
        return files();
    }

    /** A scenario by name, without parameters: see {@link #find(String, Map)}. */
    public Optional<Scenario> find(String name) {
        return find(name, Map.of());
    }

    /**
     * A catalog scenario, a trace ("trace:PATH", see TraceScenario), churn, a
     * scenario file, or a churn scenario's canonical name; params (--param)
     * apply to churn and its files only. Bad values are a PlanException.
     */
    public Optional<Scenario> find(String name, Map<String, String> params) {
        Optional<Scenario> article = scenarios.stream().filter(x -> x.name().equals(name)).findFirst();
        if (article.isPresent() && params.isEmpty()) {
            return article;
        }
        Optional<Churn> churn = churn(name, params);
        if (churn.isPresent()) {
            return Optional.of(churn.get().scenario());
        }
        Optional<Scenario> s = TraceScenario.is(name) ? Optional.of(TraceScenario.of(name))
                : scenarios.stream().filter(x -> x.name().equals(name)).findFirst();
        if (s.isPresent() && !params.isEmpty()) {
            throw new PlanException("--param applies to churn and its scenario files (see: rsslab scenarios), not to "
                    + name);
        }
        return s;
    }

    /** The churn scenario a name means (churn, a file's name, or a canonical churn:... text), with params. */
    public Optional<Churn> churn(String name, Map<String, String> params) {
        if (Churn.is(name)) {
            if (!params.isEmpty()) {
                throw new PlanException("--param with a canonical churn name: give churn or a file's name instead");
            }
            Churn parsed = Churn.parse(name);
            Optional<ChurnFile> file = files().stream().filter(f -> f.name().equals(parsed.label())).findFirst();
            return Optional.of(file.isPresent() ? Churn.of(parsed.label(), file.get().description(),
                    "data/scenarios/" + parsed.label() + FILE_SUFFIX + " with " + parsed.values(), Map.of(),
                    parsed.values()) : parsed);
        }
        if (name.equals(Churn.BARE)) {
            return Optional.of(Churn.of(Churn.BARE, Churn.describe(Churn.BARE),
                    params.isEmpty() ? "churn's defaults" : "--param " + params, Map.of(), params));
        }
        return files().stream().filter(f -> f.name().equals(name)).findFirst().map(f -> f.churn(params));
    }

    /** The article's scenario names. */
    public List<String> names() {
        return scenarios.stream().map(Scenario::name).toList();
    }

    /** Every name a scenario can be asked for by, for messages. */
    public List<String> knownNames() {
        List<String> n = new ArrayList<>(names());
        n.add(Churn.BARE);
        files().forEach(f -> n.add(f.name()));
        n.add("trace:FILE");
        return n;
    }
}
