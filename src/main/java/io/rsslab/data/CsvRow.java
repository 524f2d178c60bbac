package io.rsslab.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/** One row of a CsvSchema's file, cell by column; a cell never set is empty. */
public final class CsvRow<E extends Enum<E> & CsvColumn> {

    private final List<E> columns;
    private final EnumMap<E, String> cells;

    CsvRow(Class<E> type, List<E> columns) {
        this.columns = columns;
        this.cells = new EnumMap<>(type);
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

    public long getLong(E column) {
        return Long.parseLong(get(column));
    }

    public double getDouble(E column) {
        return Double.parseDouble(get(column));
    }

    /** Every cell in the file's column order. */
    public List<String> values() {
        List<String> v = new ArrayList<>(columns.size());
        for (E c : columns) {
            v.add(get(c));
        }
        return v;
    }

    @Override
    public String toString() {
        return cells.toString();
    }
}
