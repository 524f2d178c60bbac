package io.rsslab.data;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a whole CSV file under a temporary name beside it, then renames it
 * into place: a reader sees the old file or the new one, never half of one.
 */
public final class AtomicCsv {

    /** The rows of the file. */
    public interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private AtomicCsv() {
    }

    public static void write(Path file, CSVFormat format, Rows rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8); CSVPrinter p = new CSVPrinter(w, format)) {
            rows.print(p);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
