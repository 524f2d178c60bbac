package io.rsslab.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * One CSV file's columns, given by an enum: the writer, every reader and
 * every table use the same constants, so no column is found by its
 * position or by a string spelled again. RFC 4180 (CRLF, quotes only where
 * needed) with a header row.
 */
public final class CsvSchema<E extends Enum<E> & CsvColumn> {

    private final Class<E> type;
    private final List<E> columns;
    private final List<String> headers;
    private final CSVFormat format;

    private CsvSchema(Class<E> type) {
        this.type = type;
        this.columns = List.copyOf(EnumSet.allOf(type));
        this.headers = columns.stream().map(CsvColumn::header).toList();
        this.format = CSVFormat.RFC4180.builder().setHeader(headers.toArray(String[]::new)).get();
    }

    public static <E extends Enum<E> & CsvColumn> CsvSchema<E> of(Class<E> type) {
        return new CsvSchema<>(type);
    }

    public List<String> headers() {
        return headers;
    }

    /** For a new file: the header row first. */
    public CSVFormat format() {
        return format;
    }

    /** For a file that has its header already. */
    public CSVFormat appending() {
        return format.builder().setSkipHeaderRecord(true).get();
    }

    public CsvRow<E> row() {
        return new CsvRow<>(type, columns);
    }

    /** A parsed record of this file, by column. */
    public CsvRow<E> row(CSVRecord r) {
        CsvRow<E> row = row();
        for (E c : columns) {
            row.set(c, r.get(c.header()));
        }
        return row;
    }

    /** The values of a row in the file's column order. */
    public List<String> values(CsvRow<E> row) {
        return row.values();
    }

    /**
     * Every row of a file of this schema. A file that is not (another header,
     * a row with too few or too many cells, bytes that are not UTF-8, broken
     * quoting) is an IllegalArgumentException naming the file and the line;
     * with dropPartialLast, a last row cut short (a write that was
     * interrupted) is left out instead, and reported through the result.
     */
    public Rows<E> read(Path file, boolean dropPartialLast) throws IOException {
        try (Reader r = new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
                CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            if (!parser.getHeaderNames().equals(headers)) {
                throw new IllegalArgumentException(file + " is not an rsslab " + file.getFileName()
                        + " (its header differs from this version's: " + abbreviate(parser.getHeaderNames()) + ")");
            }
            List<CSVRecord> records = parser.getRecords();
            List<CsvRow<E>> rows = new ArrayList<>();
            boolean dropped = false;
            for (int i = 0; i < records.size(); i++) {
                CSVRecord rec = records.get(i);
                if (!rec.isConsistent()) {
                    if (dropPartialLast && i == records.size() - 1 && rec.size() < headers.size()) {
                        dropped = true;
                        continue;
                    }
                    throw new IllegalArgumentException(file + " line " + (rec.getRecordNumber() + 1)
                            + " has " + rec.size() + " cells where " + headers.size() + " are due");
                }
                rows.add(row(rec));
            }
            return new Rows<>(List.copyOf(rows), dropped);
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String why = cause instanceof CharacterCodingException ? "bytes that are not UTF-8 text"
                    : cause.getMessage();
            throw new IllegalArgumentException(file + " is not valid CSV: " + why);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not valid CSV: bytes that are not UTF-8 text");
        }
    }

    /** The rows of a file, and whether a partial last row was left out. */
    public record Rows<E extends Enum<E> & CsvColumn>(List<CsvRow<E>> rows, boolean droppedPartialLast) {
    }

    private static String abbreviate(List<String> names) {
        String s = String.join(",", names).replaceAll("\\p{Cntrl}", "?");
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.toString(headers.toArray());
    }
}
