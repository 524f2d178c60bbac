package io.rsslab.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/** One row of a CsvSchema's file, cell by column; a cell never set is empty. */
public final class CsvRow<E extends Enum<E> & CsvColumn> {

    private final List<E> columns;
    private final EnumMap<E, String> cells;
    /** Where a row read from a file came from ("runs.csv line 3"), for a cell that is not what it should be. */
    private final String where;

    CsvRow(Class<E> type, List<E> columns, String where) {
        this.columns = columns;
        this.cells = new EnumMap<>(type);
        this.where = where;
    }

    /**
     * Sets a cell; null is an empty cell, anything else its String.valueOf
     * with control characters escaped (Text.printable): no cell of rsslab's
     * holds a line break, so every row is one line ending in CRLF.
     */
    public CsvRow<E> set(E column, Object value) {
        cells.put(column, value == null ? "" : Text.printable(String.valueOf(value)));
        return this;
    }

    public String get(E column) {
        return cells.getOrDefault(column, "");
    }

    public boolean isEmpty(E column) {
        return get(column).isEmpty();
    }

    /** A whole number; anything else (empty, 1.5, lots) is a CsvCellException naming the file, line and column. */
    public long getLong(E column) {
        try {
            return Long.parseLong(get(column));
        } catch (NumberFormatException e) {
            throw bad(column, "a whole number");
        }
    }

    public int getInt(E column) {
        long v = getLong(column);
        if (v != (int) v) {
            throw bad(column, "a whole number below 2^31");
        }
        return (int) v;
    }

    /** A finite decimal number (never NaN or Infinity), else a CsvCellException. */
    public double getDouble(E column) {
        String s = get(column);
        if (!CsvCell.isNumber(s) || !Double.isFinite(Double.parseDouble(s))) {
            throw bad(column, "a finite number");
        }
        return Double.parseDouble(s);
    }

    CsvCellException bad(E column, String expected) {
        return new CsvCellException((where == null ? "" : where + ": ") + "column " + column.header() + " holds '"
                + abbreviate(get(column)) + "' where " + expected + " is due");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Every cell in the file's column order, as written to the file (CsvCell.toFile: no formula). */
    public List<String> values() {
        List<String> v = new ArrayList<>(columns.size());
        for (E c : columns) {
            v.add(CsvCell.toFile(get(c)));
        }
        return v;
    }

    @Override
    public String toString() {
        return cells.toString();
    }
}
