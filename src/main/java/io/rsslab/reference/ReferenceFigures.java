package io.rsslab.reference;

import java.util.List;

import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.DataFiles;

/** The article's published per-round figures, as transcribed in data/reference/. */
public final class ReferenceFigures {

    private final List<ReferenceRow> rows;

    private ReferenceFigures(List<ReferenceRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public static ReferenceFigures load() {
        return new ReferenceFigures(DataFiles.readCsv("reference/article-examples.csv", ReferenceFigures::row));
    }

    private static ReferenceRow row(CSVRecord r) {
        return new ReferenceRow(Integer.parseInt(r.get("example")), r.get("scenario"), r.get("variant"),
                r.get("command"), r.get("env"), Boolean.parseBoolean(r.get("trim")), r.get("distribution"),
                r.get("kernel"), r.get("glibc"), Integer.parseInt(r.get("round")),
                Long.parseLong(r.get("allocated_kb")), Long.parseLong(r.get("rss_after_alloc_kb")),
                Long.parseLong(r.get("rss_after_free_kb")));
    }

    public List<ReferenceRow> all() {
        return rows;
    }

    /** The rows of one of the article's runs of a scenario (variant baseline, trim or article-pair). */
    public List<ReferenceRow> run(String scenario, String variant) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.variant().equals(variant)).toList();
    }
}
