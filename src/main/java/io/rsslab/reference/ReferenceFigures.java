package io.rsslab.reference;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** The article's published per-round figures, as transcribed in data/reference/. */
public final class ReferenceFigures {

    public static final String RESOURCE = "/rsslab/data/reference/article-examples.csv";

    private final List<ReferenceRow> rows;

    private ReferenceFigures(List<ReferenceRow> rows) {
        this.rows = List.copyOf(rows);
    }

    public static ReferenceFigures load() {
        try (InputStream in = ReferenceFigures.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the build");
            }
            return read(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ReferenceFigures read(Reader reader) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        List<ReferenceRow> list = new ArrayList<>();
        for (CSVRecord r : format.parse(reader)) {
            list.add(new ReferenceRow(Integer.parseInt(r.get("example")), r.get("scenario"), r.get("variant"),
                    r.get("command"), r.get("env"), Boolean.parseBoolean(r.get("trim")), r.get("distribution"),
                    r.get("kernel"), r.get("glibc"), Integer.parseInt(r.get("round")),
                    Long.parseLong(r.get("allocated_kb")), Long.parseLong(r.get("rss_after_alloc_kb")),
                    Long.parseLong(r.get("rss_after_free_kb"))));
        }
        return new ReferenceFigures(list);
    }

    public List<ReferenceRow> all() {
        return rows;
    }

    /** The rows of one of the article's runs of a scenario (variant baseline, trim or article-pair). */
    public List<ReferenceRow> run(String scenario, String variant) {
        return rows.stream().filter(r -> r.scenario().equals(scenario) && r.variant().equals(variant)).toList();
    }
}
