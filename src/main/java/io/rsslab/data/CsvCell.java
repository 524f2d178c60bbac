package io.rsslab.data;

import java.util.regex.Pattern;

/**
 * The one rule for what a text cell looks like in a file and back.
 * Spreadsheet formula injection (OWASP "CSV Injection"): a cell that begins
 * with = + - @ (or a tab or carriage return, which Text.printable already
 * escapes) is evaluated as a formula by Excel, LibreOffice and Sheets, so
 * such a cell is written with a leading apostrophe, which they show as text.
 * A cell that is a plain decimal number (-1.5, -0.0, +3, 1e-5) is left as it
 * is: a spreadsheet evaluates it to the same number, nothing else. So that
 * the rule can be undone exactly, a cell that already begins with an
 * apostrophe gets one more; the reader takes exactly one leading apostrophe
 * away.
 */
public final class CsvCell {

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private CsvCell() {
    }

    /** The cell as rsslab writes it. */
    public static String toFile(String value) {
        if (value.isEmpty()) {
            return value;
        }
        char c = value.charAt(0);
        boolean formula = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
        return c == '\'' || formula && !NUMBER.matcher(value).matches() ? "'" + value : value;
    }

    /** The value a cell of rsslab's holds: what toFile was given. */
    public static String fromFile(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    /** Is s a plain decimal number, as rsslab writes numbers (no NaN, Infinity, hex or type suffix)? */
    public static boolean isNumber(String s) {
        return NUMBER.matcher(s).matches();
    }
}
