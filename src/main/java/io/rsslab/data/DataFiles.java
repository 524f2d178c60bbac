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

    /**
     * The text of each file of the folder data/FOLDER whose name ends with
     * suffix, by file name, sorted: read from the jar, or from the classes
     * folder when running from the build.
     */
    public static java.util.SortedMap<String, String> readFolder(String folder, String suffix) {
        String resource = "/rsslab/data/" + folder;
        java.net.URL url = DataFiles.class.getResource(resource);
        if (url == null) {
            throw new IllegalStateException(resource + " is missing from the build");
        }
        try {
            java.net.URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(uri, java.util.Map.of())) {
                    return readTexts(fs.getPath(resource), suffix);
                }
            }
            return readTexts(java.nio.file.Path.of(uri), suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.SortedMap<String, String> readTexts(java.nio.file.Path dir, String suffix)
            throws IOException {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
            for (java.nio.file.Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(suffix)) {
                    out.put(name, java.nio.file.Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    public static <T> List<T> readCsv(Reader reader, Function<CSVRecord, T> row) throws IOException {
        List<T> list = new ArrayList<>();
        for (CSVRecord r : FORMAT.parse(reader)) {
            list.add(row.apply(r));
        }
        return list;
    }
}
