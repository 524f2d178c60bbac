package io.rsslab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/** Reads the CSV files of the repository's data/ folder, which the jar carries under rsslab/data/. */
public final class DataFiles {

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader().setSkipHeaderRecord(true).get();

    private DataFiles() {
    }

    /** Each row of data/PATH, mapped by column name. */
    public static <T> List<T> readCsv(String path, Function<CSVRecord, T> row) {
        String resource = "/rsslab/data/" + path;
        try (InputStream in = DataFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the build");
            }
            return readCsv(new InputStreamReader(in, StandardCharsets.UTF_8), row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> List<T> readCsv(Reader reader, Function<CSVRecord, T> row) throws IOException {
        List<T> list = new ArrayList<>();
        for (CSVRecord r : FORMAT.parse(reader)) {
            list.add(row.apply(r));
        }
        return list;
    }
}
