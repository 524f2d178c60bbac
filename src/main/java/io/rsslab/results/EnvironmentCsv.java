package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVFormat;

import io.rsslab.data.AtomicCsv;
import io.rsslab.machine.Fact;

/** environment.csv: section, name, value, note; written whole to a temporary name, then renamed. */
public final class EnvironmentCsv {

    public static final List<String> COLUMNS = List.of("section", "name", "value", "note");

    private EnvironmentCsv() {
    }

    public static void write(Path file, List<Fact> facts) throws IOException {
        AtomicCsv.write(file, CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get(), p -> {
            for (Fact f : facts) {
                p.printRecord(f.section(), f.name(), f.value(), f.note());
            }
        });
    }
}
