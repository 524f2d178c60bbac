package io.rsslab.malloc;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One line of ld.so --list-tunables: "glibc.malloc.top_pad: 0x20000 (min: 0x0, max: 0xffffffffffffffff)". */
public record Tunable(String name, long value, long min, long max) {

    private static final Pattern LINE = Pattern.compile(
            "(\\S+): (\\S+) \\(min: (\\S+), max: (\\S+)\\)");

    public static Optional<Tunable> parse(String line) {
        Matcher m = LINE.matcher(line.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Tunable(m.group(1), number(m.group(2)), number(m.group(3)), number(m.group(4))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** glibc's notation: 0x for hexadecimal, else decimal; unsigned 64-bit. */
    static long number(String s) {
        if (s.startsWith("0x") || s.startsWith("0X")) {
            return Long.parseUnsignedLong(s.substring(2), 16);
        }
        return Long.parseUnsignedLong(s);
    }

    public String valueText() {
        return "0x" + Long.toHexString(value);
    }

    public boolean inRange(long v) {
        return Long.compareUnsigned(v, min) >= 0 && Long.compareUnsigned(v, max) <= 0;
    }
}
