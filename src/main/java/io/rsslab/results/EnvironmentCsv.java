package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvSchema;
import io.rsslab.machine.Fact;

/** environment.csv: section, name, value, note; written whole to a temporary name, then renamed. */
public final class EnvironmentCsv {

    public static final CsvSchema<EnvironmentColumn> SCHEMA = CsvSchema.of(EnvironmentColumn.class);

    private EnvironmentCsv() {
    }

    public static void write(Path file, List<Fact> facts) throws IOException {
        AtomicCsv.write(file, SCHEMA.format(), p -> {
            for (Fact f : facts) {
                p.printRecord(SCHEMA.row().set(EnvironmentColumn.SECTION, f.section())
                        .set(EnvironmentColumn.NAME, f.name()).set(EnvironmentColumn.VALUE, f.value())
                        .set(EnvironmentColumn.NOTE, f.note()).values());
            }
        });
    }
}
