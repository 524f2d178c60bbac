package io.rsslab.plan;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Run identifiers that sort by start time and do not collide between parallel tools. */
public final class RunIds {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    /** e.g. 20261125T193012Z-article-4-native-3f9a */
    public static String next(Scenario scenario, Host host) {
        return STAMP.format(Instant.now()) + "-" + scenario.name() + "-" + host.label() + "-"
                + String.format("%04x", RANDOM.nextInt(0x10000));
    }
}
