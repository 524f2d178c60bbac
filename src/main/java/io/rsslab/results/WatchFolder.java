package io.rsslab.results;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;

/**
 * The results folder of rsslab watch: watch.csv (a row per process and reading, each flushed as it is
 * read, so a stop at any moment keeps every reading made) and environment.csv (kind watch).
 */
public final class WatchFolder extends FolderBase implements Closeable {

    public static final CsvSchema<WatchColumn> WATCH = CsvSchema.of(WatchColumn.class);
    public static final String WATCH_FILE = "watch.csv";

    private final BufferedWriter writer;
    private final CSVPrinter rows;

    private WatchFolder(Path dir) throws IOException {
        super(dir, FolderKind.WATCH);
        writer = Files.newBufferedWriter(dir.resolve(WATCH_FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rows = new CSVPrinter(writer, WATCH.format());
        rows.flush();
    }

    /** A new folder: out (which must not exist), or results/<timestamp>[-N]/. */
    public static WatchFolder create(Path out) throws IOException {
        return new WatchFolder(newDir(out));
    }

    public synchronized void add(CsvRow<WatchColumn> row) throws IOException {
        rows.printRecord(row.values());
        rows.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        try (writer) {
            rows.flush();
        }
    }
}
