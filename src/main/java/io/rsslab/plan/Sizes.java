package io.rsslab.plan;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Byte sizes as people write them: 4096, 64K, 1M, 1.5M, 2G, 1T (binary
 * units; KiB, MiB, ... and a trailing B are taken too). Whole bytes only.
 */
public final class Sizes {

    private static final String[] UNITS = {"", "K", "M", "G", "T"};

    private Sizes() {
    }

    /** The bytes; IllegalArgumentException with the reason. */
    public static long parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]?)(I?B)?")
                .matcher(t);
        if (!m.matches() || (m.group(3) != null && m.group(3).equals("IB") && m.group(2).isEmpty())) {
            throw new IllegalArgumentException("a size expected (bytes, or with K, M, G or T: 4096, 64K, 1M)");
        }
        int power = java.util.Arrays.asList(UNITS).indexOf(m.group(2));
        BigDecimal v = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << (10 * power)));
        if (v.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("not a whole number of bytes");
        }
        if (v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 2)) > 0) {
            throw new IllegalArgumentException("too large");
        }
        return v.longValueExact();
    }

    /** The shortest exact form: 1048576 is 1M, 1536 is 1536. */
    public static String format(long bytes) {
        int power = 0;
        long v = bytes;
        while (power < UNITS.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            power++;
        }
        return v + UNITS[power];
    }
}
