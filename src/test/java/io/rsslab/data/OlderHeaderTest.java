package io.rsslab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file of an older rsslab (the columns added since are missing at the end) still reads; another header does not. */
class OlderHeaderTest {

    enum Col implements CsvColumn {
        RUN_ID, KEPT_KB, ADDED_LATER;

        @Override
        public boolean number() {
            return this != RUN_ID;
        }

        @Override
        public String header() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final CsvSchema<Col> SCHEMA = CsvSchema.of(Col.class);

    @TempDir
    Path dir;

    @Test
    void aShorterStartOfTheHeaderIsAnOlderFileReadWithTheNewColumnsEmpty() throws Exception {
        Path f = dir.resolve("runs.csv");
        Files.writeString(f, "run_id,kept_kb\r\na,12\r\n");
        CsvSchema.Rows<Col> rows = SCHEMA.read(f, false);
        assertTrue(rows.olderHeader());
        assertEquals(List.of("a"), rows.rows().stream().map(r -> r.get(Col.RUN_ID)).toList());
        assertEquals(12, rows.rows().get(0).getLong(Col.KEPT_KB));
        assertTrue(rows.rows().get(0).isEmpty(Col.ADDED_LATER));
    }

    @Test
    void theWholeHeaderIsNotOlder() throws Exception {
        Path f = dir.resolve("runs.csv");
        Files.writeString(f, "run_id,kept_kb,added_later\r\na,12,3\r\n");
        assertFalse(SCHEMA.read(f, false).olderHeader());
    }

    @Test
    void anotherHeaderIsRefused() throws Exception {
        Path f = dir.resolve("runs.csv");
        Files.writeString(f, "run_id,added_later\r\na,3\r\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SCHEMA.read(f, false));
        assertTrue(e.getMessage().contains("its header differs"), e.getMessage());
        Files.writeString(f, "\r\n");
        assertThrows(IllegalArgumentException.class, () -> SCHEMA.read(f, false));
    }
}
