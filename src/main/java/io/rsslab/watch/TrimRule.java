package io.rsslab.watch;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rsslab.plan.Sizes;

/**
 * watch --trim-when: FIGURE>SIZE, where FIGURE is releasable (what malloc_trim(0) would return now),
 * thread_tops (the thread heaps' resident tops) or rss (VmRSS), and SIZE is a size as plan.Sizes
 * reads it (256MiB, 1G, 65536). A process whose reading is over the line is trimmed, at most once
 * per --trim-every (every attempts counts, a refusal too, so a refusing process is not asked each tick).
 */
public record TrimRule(String figure, long bytes, Duration every) {

    private static final Pattern RULE = Pattern.compile("\\s*(releasable|thread_tops|rss)\\s*>\\s*(\\S.*?)\\s*");
    private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(s|m|h)?");

    /** The rule; IllegalArgumentException with one line saying what is wrong. */
    public static TrimRule parse(String when, String every) {
        Matcher m = RULE.matcher(when);
        if (!m.matches()) {
            throw new IllegalArgumentException("--trim-when '" + when + "' is not FIGURE>SIZE with FIGURE releasable, "
                    + "thread_tops or rss (e.g. releasable>256MiB)");
        }
        long bytes;
        try {
            bytes = Sizes.parse(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--trim-when '" + when + "': '" + m.group(2) + "': " + e.getMessage());
        }
        return new TrimRule(m.group(1), bytes, duration(every));
    }

    /** SECONDS, or with s, m or h: 90, 30s, 10m, 1h; from 1 s to a year. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        double s = -1;
        if (m.matches()) {
            s = Double.parseDouble(m.group(1)) * (m.group(2) == null || m.group(2).equals("s") ? 1
                    : m.group(2).equals("m") ? 60 : 3600);
        }
        if (!(s >= 1 && s <= 31_536_000)) {
            throw new IllegalArgumentException("--trim-every '" + text + "' is not a duration from 1 s to a year "
                    + "(SECONDS, or 30s, 10m, 1h)");
        }
        return Duration.ofNanos((long) (s * 1e9));
    }

    /** Whether this reading is over the line; a figure not known (another allocator's heap) never is. */
    boolean over(Proc.Status s, HeapReading.Figures f) {
        Long kb = switch (figure) {
            case "releasable" -> f.trimReleasableKb();
            case "thread_tops" -> f.threadTopResidentKb();
            default -> s.vmRssKb();
        };
        return kb != null && kb * 1024 > bytes && "glibc".equals(f.allocator());
    }

    @Override
    public String toString() {
        return figure + ">" + Sizes.format(bytes) + " at most once per " + every.toSeconds() + " s";
    }
}
