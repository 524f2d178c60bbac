package io.rsslab.data;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a whole CSV file under a temporary name beside it, synced to disk,
 * then renames it into place: a reader sees the old file or the complete
 * new one, never half of one. A write that fails (a full disk) leaves the
 * old file as it was and no temporary file behind, and throws.
 */
public final class AtomicCsv {

    /** The rows of the file. */
    public interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private AtomicCsv() {
    }

    public static void write(Path file, CSVFormat format, Rows rows) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        boolean done = false;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                    Writer w = new BufferedWriter(new OutputStreamWriter(fos, StandardCharsets.UTF_8));
                    CSVPrinter p = new CSVPrinter(w, format)) {
                rows.print(p);
                p.flush();
                fos.getFD().sync();
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }
}
