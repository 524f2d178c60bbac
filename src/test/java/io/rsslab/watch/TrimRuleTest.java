package io.rsslab.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** watch --trim-when's grammar and its line: what is over it, and what never is (a figure not known). */
class TrimRuleTest {

    private static HeapReading.Figures figures(String allocator, Long releasableKb, Long threadTopsKb) {
        return new HeapReading.Figures(allocator, 0L, 0L, releasableKb, threadTopsKb, 1, true, 0, null, null, null);
    }

    @Test
    void parsesTheThreeFiguresSizesAndDurations() {
        TrimRule r = TrimRule.parse(" releasable > 256MiB ", "10m");
        assertEquals("releasable", r.figure());
        assertEquals(256L << 20, r.bytes());
        assertEquals(Duration.ofMinutes(10), r.every());
        assertEquals(1L << 30, TrimRule.parse("rss>1G", "1h").bytes());
        assertEquals(Duration.ofHours(1), TrimRule.parse("rss>1G", "1h").every());
        assertEquals(Duration.ofSeconds(90), TrimRule.parse("thread_tops>64K", "90").every());
        assertEquals(Duration.ofSeconds(30), TrimRule.parse("thread_tops>64K", "30s").every());
        for (String bad : new String[] {"releasable", "releasable>", "releasable<1M", "heap>1M", "rss>1Q", "rss>-1M",
                "rss>1.5", "rss>>1M", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrimRule.parse(bad, "10m"),
                    bad);
            assertTrue(e.getMessage().startsWith("--trim-when '" + bad + "'"), e.getMessage());
        }
        for (String bad : new String[] {"0", "0.5", "10x", "-1m", "m", "366d", "400000000"}) {
            assertThrows(IllegalArgumentException.class, () -> TrimRule.parse("rss>1M", bad), bad);
        }
    }

    @Test
    void overTheLineOnlyWhereTheFigureIsKnownAndTheHeapGlibcs() {
        Proc.Status s = new Proc.Status(100_000, 90_000, 0);
        TrimRule releasable = TrimRule.parse("releasable>16MiB", "10m");
        assertTrue(releasable.over(s, figures("glibc", 16L * 1024 + 1, 0L)));
        assertFalse(releasable.over(s, figures("glibc", 16L * 1024, 0L)), "over, not at");
        assertFalse(releasable.over(s, figures("glibc", null, null)), "not walked: never over");
        assertFalse(releasable.over(s, figures("jemalloc", 1L << 30, 0L)), "another allocator: not glibc's trim");
        assertTrue(TrimRule.parse("thread_tops>1M", "10m").over(s, figures("glibc", 0L, 2048L)));
        assertTrue(TrimRule.parse("rss>64M", "10m").over(s, figures("glibc", null, null)));
        assertFalse(TrimRule.parse("rss>128M", "10m").over(s, figures("glibc", 0L, 0L)));
    }
}
