package io.rsslab.results;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import io.rsslab.machine.Fact;

/** environment.csv: section, name, value, note; written whole to a temporary name, then renamed. */
public final class EnvironmentCsv {

    public static final List<String> COLUMNS = List.of("section", "name", "value", "note");

    private EnvironmentCsv() {
    }

    public static void write(Path file, List<Fact> facts) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                CSVPrinter p = new CSVPrinter(w, CSVFormat.RFC4180.builder()
                        .setHeader(COLUMNS.toArray(String[]::new)).get())) {
            for (Fact f : facts) {
                p.printRecord(f.section(), f.name(), f.value(), f.note());
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
