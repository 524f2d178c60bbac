package io.rsslab.plan;

import java.util.regex.Pattern;

/** One NAME=VALUE the child's environment gets on top of the parent's. */
public record EnvPair(String name, String value) {

    /** POSIX portable environment names; glibc's MALLOC_*_ settings are among them. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Parses NAME=VALUE; the message of the exception is fit for the user. */
    public static EnvPair parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("--env '" + text + "' has no '=': expected NAME=VALUE");
        }
        String name = text.substring(0, eq);
        String value = text.substring(eq + 1);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("--env '" + text + "' has an empty name: expected NAME=VALUE");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--env name '" + name
                    + "' is not a valid environment variable name (letters, digits, _; not starting with a digit)");
        }
        if (value.chars().anyMatch(ch -> Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029')) {
            throw new IllegalArgumentException("--env " + name + " has a control character (a newline, an escape) "
                    + "in its value");
        }
        return new EnvPair(name, value);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
