package io.rsslab.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one way a command chooses what it prints: each command allows some of
 * these (run: table, csv, seed; replay: table, csv; inspect: table, json,
 * csv), and when none is given the table goes to a terminal and the
 * machine-readable one everywhere else. As a picocli option type it is read
 * case-insensitively (Main).
 */
public enum OutputFormat {
    TABLE, CSV, JSON, SEED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** given if any; else table on a terminal, otherwise the machine-readable one. */
    public static OutputFormat choose(OutputFormat given, boolean terminal, OutputFormat otherwise) {
        return given != null ? given : terminal ? TABLE : otherwise;
    }

    /** text as one of allowed (case-insensitive), or null when it is none of them. */
    public static OutputFormat parse(String text, OutputFormat... allowed) {
        return Arrays.stream(allowed).filter(f -> f.label().equalsIgnoreCase(text)).findFirst().orElse(null);
    }

    /** "table or csv", "table, json or csv": for the one line that refuses another. */
    public static String names(OutputFormat... allowed) {
        String all = Arrays.stream(allowed).map(OutputFormat::label).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return last < 0 ? all : all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
