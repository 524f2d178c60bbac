package io.rsslab.data;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
        return new CsvRow<>(type, columns, null);
    }

    /**
     * A parsed record of this file, by column, each cell as it was meant
     * (CsvCell.fromFile); a number column's cell that is neither empty nor a
     * finite decimal number (NaN, Infinity, lots) is a CsvCellException.
     */
    public CsvRow<E> row(CSVRecord r) {
        return row(r, null);
    }

    private CsvRow<E> row(CSVRecord r, String where) {
        CsvRow<E> row = new CsvRow<>(type, columns, where);
        for (E c : columns) {
            // A file of an older rsslab lacks the columns added since (at the end): empty, not known.
            row.set(c, r.isMapped(c.header()) ? CsvCell.fromFile(r.get(c.header())) : "");
            if (c.number() && !row.isEmpty(c)) {
                row.getDouble(c);
            }
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
     * quoting) is an IllegalArgumentException naming the file and the line.
     * rsslab ends every row with CRLF and puts no line break inside a cell
     * (Text.printable), so a file that does not end with one ends in a row
     * whose write was cut short (a full disk, a kill): with dropPartialLast it
     * is left out, and said so in the result; without, it is an error.
     */
    public Rows<E> read(Path file, boolean dropPartialLast) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        boolean dropped = false;
        if (end > 0 && bytes[end - 1] != '\n') {
            int lastBreak = end - 1;
            while (lastBreak >= 0 && bytes[lastBreak] != '\n') {
                lastBreak--;
            }
            if (!dropPartialLast || lastBreak < 0) {
                throw new IllegalArgumentException(file + " ends in a partial row (a write that was cut short)");
            }
            end = lastBreak + 1;
            dropped = true;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not valid CSV: it holds bytes that are not UTF-8 text");
        }
        try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text))) {
            List<String> names = parser.getHeaderNames();
            // rsslab adds columns only at the end: a header that is a shorter start of this version's is an
            // older rsslab's file, read with the newer columns empty (olderHeader says so).
            boolean older = names.size() < headers.size() && names.size() > 0
                    && headers.subList(0, names.size()).equals(names);
            if (!older && !names.equals(headers)) {
                throw new IllegalArgumentException(file + " is not an rsslab " + file.getFileName()
                        + " (its header differs from this version's: " + abbreviate(names) + ")");
            }
            List<CsvRow<E>> rows = new ArrayList<>();
            for (CSVRecord rec : parser.getRecords()) {
                if (!rec.isConsistent()) {
                    throw new IllegalArgumentException(file + " line " + (rec.getRecordNumber() + 1)
                            + " has " + rec.size() + " cells where " + names.size() + " are due");
                }
                rows.add(row(rec, file + " line " + (rec.getRecordNumber() + 1)));
            }
            return new Rows<>(List.copyOf(rows), dropped, older);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not valid CSV: "
                    + Text.printable(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
    }

    /**
     * The rows of a file, whether a partial last row was left out, and whether the file was written by an
     * older rsslab, with fewer columns (those read as empty; nothing may be appended to such a file).
     */
    public record Rows<E extends Enum<E> & CsvColumn>(List<CsvRow<E>> rows, boolean droppedPartialLast,
            boolean olderHeader) {
    }

    private static String abbreviate(List<String> names) {
        String s = Text.printable(String.join(",", names));
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public String toString() {
        return type.getSimpleName() + Arrays.toString(headers.toArray());
    }
}
