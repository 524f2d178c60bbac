package io.rsslab.plan;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run identifiers that sort by start time and are unique by construction:
 * this rsslab's process id and a sequence number within it (a random
 * suffix once collided for runs planned in the same second).
 */
public final class RunIds {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private RunIds() {
    }

    /** e.g. 20261125T193012Z-article-4-native-41977-12 */
    public static String next(Scenario scenario, Host host) {
        return STAMP.format(Instant.now()) + "-" + label(scenario) + "-" + host.label() + "-" + PID + "-"
                + SEQUENCE.incrementAndGet();
    }

    /** The scenario's name; for a trace, "trace-" and its file's name in letters, digits, '.', '_' (a file name). */
    static String label(Scenario scenario) {
        if (Churn.is(scenario)) {
            return Churn.labelOf(scenario.name());
        }
        if (!TraceScenario.is(scenario)) {
            return scenario.name();
        }
        String file = java.nio.file.Path.of(scenario.source()).getFileName().toString()
                .replaceAll("[^A-Za-z0-9._]", "_");
        return "trace-" + (file.length() > 40 ? file.substring(0, 40) : file);
    }
}
