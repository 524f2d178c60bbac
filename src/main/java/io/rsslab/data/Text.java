package io.rsslab.data;

/**
 * Text that came from outside (the command line, a child's stderr, jcmd)
 * made safe to print on a terminal or to put in one CSV cell: control
 * characters are shown as escapes (\n, \r, \t, \x1b), so a value can never
 * start a new line, forge an "rsslab:" line or move the cursor.
 */
public final class Text {

    private Text() {
    }

    public static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = escape(c);
            if (esc != null && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                b.append(esc != null ? esc : String.valueOf(c));
            }
        }
        return b == null ? s : b.toString();
    }

    private static String escape(char c) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            default:
                return Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\x%02x", (int) c) : null;
        }
    }

    /** Does s hold a control character (one that printable would escape)? */
    public static boolean hasControl(String s) {
        return !printable(s).equals(s);
    }
}
