package io.rsslab.results;

import io.rsslab.data.CsvColumn;
import io.rsslab.data.CsvRow;
import io.rsslab.plan.Churn;
import io.rsslab.plan.RunSpec;

/** The cells that say which run a row is of, the same in rounds.csv and runs.csv. */
final class RunColumns<E extends Enum<E> & CsvColumn> {

    private final E runId;
    private final E scenario;
    private final E host;
    private final E variant;
    private final E env;
    private final E preload;
    private final E trim;
    private final E repeat;

    RunColumns(E runId, E scenario, E host, E variant, E env, E preload, E trim, E repeat) {
        this.runId = runId;
        this.scenario = scenario;
        this.host = host;
        this.variant = variant;
        this.env = env;
        this.preload = preload;
        this.trim = trim;
        this.repeat = repeat;
    }

    private synchronized java.util.Map<String, E> churnColumns(CsvRow<E> row) {
        if (churnColumns.isEmpty()) {
            Class<E> type = runId.getDeclaringClass();
            for (String p : Churn.names()) {
                churnColumns.put(p, Enum.valueOf(type, "CHURN_" + p.toUpperCase(java.util.Locale.ROOT)));
            }
        }
        return churnColumns;
    }

    /** The CHURN_* column of each churn parameter, found by name in the file's enum. */
    private final java.util.Map<String, E> churnColumns = new java.util.LinkedHashMap<>();
    /** Parsed once per scenario name: rounds.csv fills a row a round. */
    private final java.util.Map<String, Churn> parsed = new java.util.concurrent.ConcurrentHashMap<>();

    CsvRow<E> fill(CsvRow<E> row, RunSpec spec) {
        if (Churn.is(spec.scenario())) {
            Churn c = parsed.computeIfAbsent(spec.scenario().name(), Churn::parse);
            for (java.util.Map.Entry<String, E> e : churnColumns(row).entrySet()) {
                row.set(e.getValue(), c.value(e.getKey()));
            }
        }
        return row.set(runId, spec.runId()).set(scenario, spec.scenario().name()).set(host, spec.host().label())
                .set(variant, spec.variant().name()).set(env, spec.variant().envText())
                .set(preload, spec.variant().preloadText()).set(trim, spec.variant().trim())
                .set(repeat, spec.repeat());
    }
}
