package io.rsslab.malloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MmapThresholdTest {

    @Test
    void aFixedThresholdStays() {
        MmapThreshold fixed = MmapThreshold.fixed(128);
        fixed.roundFreed(31424512);
        assertEquals(128, fixed.currentKb());
    }

    @Test
    void theDynamicThresholdRisesToTheLargestFreedChunkOnly() {
        MmapThreshold t = MmapThreshold.dynamicFromDefault();
        t.roundFreed(31424512);
        assertEquals(30688, t.currentKb());
        t.roundFreed(4096 * 1024);
        assertEquals(30688, t.currentKb(), "a smaller chunk does not lower it");
    }

    @Test
    void eachRunStartsItsOwnInference() {
        MmapThreshold.Rule rule = MmapThreshold.Rule.DYNAMIC_FROM_DEFAULT;
        MmapThreshold a = rule.start();
        a.roundFreed(31424512);
        assertEquals(128, rule.start().currentKb(), "the rule is not changed by a run");
    }
}
