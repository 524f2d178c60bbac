package io.rsslab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What rsslab writes into a CSV cell cannot be evaluated as a formula, and reads back as it was meant. */
class CsvCellTest {

    enum Col implements CsvColumn {
        TEXT, AMOUNT;

        @Override
        public boolean number() {
            return this == AMOUNT;
        }

        @Override
        public String header() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final CsvSchema<Col> SCHEMA = CsvSchema.of(Col.class);

    @TempDir
    Path dir;

    /** As a spreadsheet sees a cell: = + - @ (or tab, CR) first and not a plain number is a formula. */
    static boolean formula(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
                && !cell.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    }

    @Test
    void textThatASpreadsheetWouldEvaluateIsWrittenAsTextAndReadBackAsItWas() throws Exception {
        List<String> texts = List.of("=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-cmd", "@SUM(A1)", "'quoted", "''",
                "=", "-", "plain", "", "-1.5", "-0.0", "+3", "1e-5", "-.5", "-1.5x", "-Infinity", "- 1");
        Path f = dir.resolve("f.csv");
        AtomicCsv.write(f, SCHEMA.format(), p -> {
            for (String t : texts) {
                p.printRecord(SCHEMA.row().set(Col.TEXT, t).set(Col.AMOUNT, t.matches("-?[0-9.]+") ? t : "1").values());
            }
        });
        List<CSVRecord> raw;
        try (var r = Files.newBufferedReader(f)) {
            raw = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        for (int i = 0; i < texts.size(); i++) {
            String cell = raw.get(i).get("text");
            assertTrue(!formula(cell), "a spreadsheet would evaluate " + cell);
            if (CsvCell.isNumber(texts.get(i)) || texts.get(i).isEmpty() || texts.get(i).equals("plain")) {
                assertEquals(texts.get(i), cell, "numbers stay numbers, plain text stays as it is");
            }
        }
        assertEquals("'=", raw.get(6).get("text"));
        assertEquals("'-1.5x", raw.get(15).get("text"));
        assertEquals("-0.0", raw.get(11).get("amount"));
        List<CsvRow<Col>> back = SCHEMA.read(f, false).rows();
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(texts.get(i), back.get(i).get(Col.TEXT));
        }
        assertEquals(-0.0, back.get(11).getDouble(Col.AMOUNT));
    }

    @Test
    void aNumberColumnHoldsFiniteNumbersOrNothing() throws Exception {
        for (String bad : List.of("NaN", "Infinity", "-Infinity", "lots", "0x10", "1d", "1e999", " 1")) {
            Path f = dir.resolve("bad.csv");
            Files.writeString(f, "text,amount\r\nok,1\r\nx,\"" + bad + "\"\r\n");
            CsvCellException e = assertThrows(CsvCellException.class, () -> SCHEMA.read(f, false));
            assertTrue(e.getMessage().startsWith(f + " line 3: column amount holds '" + bad + "'"), e.getMessage());
        }
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, "text,amount\r\nNaN,\r\nlots,-2.5e3\r\n");
        List<CsvRow<Col>> rows = SCHEMA.read(f, false).rows();
        assertEquals(-2500.0, rows.get(1).getDouble(Col.AMOUNT));
        CsvCellException e = assertThrows(CsvCellException.class, () -> rows.get(1).getLong(Col.AMOUNT));
        assertTrue(e.getMessage().contains(f + " line 3: column amount holds '-2.5e3' where a whole number is due"),
                e.getMessage());
    }
}
