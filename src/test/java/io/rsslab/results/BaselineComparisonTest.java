package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BaselineComparisonTest {

    @Test
    void percentagesAgainstTheBaseline() {
        assertEquals(52.0, BaselineComparison.pct(1.52, 1.0), 1e-9);
        assertEquals("+52% system time, -3% user time", BaselineComparison.describe(52, -3));
    }

    @Test
    void aBaselineBelowTheClocksResolutionIsNotDividedBy() {
        assertTrue(Double.isNaN(BaselineComparison.pct(0.004, 0.0)));
        assertTrue(Double.isNaN(BaselineComparison.pct(0.004, 0.009)));
        assertEquals("+5% system time, user time too small to compare",
                BaselineComparison.describe(5, BaselineComparison.pct(0.004, 0.0)));
    }
}
