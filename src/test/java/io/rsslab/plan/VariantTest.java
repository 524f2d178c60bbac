package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void composingNamesWhatWasAdded() {
        Variant pair = VariantCatalog.load().find("article-pair").orElseThrow().variant();
        assertEquals("baseline", Variant.of(List.of(), false).name());
        assertEquals("trim", Variant.of(List.of(), true).name());
        assertEquals("custom", Variant.of(List.of(new EnvPair("A", "1")), false).name());
        assertEquals("custom+trim", Variant.of(List.of(new EnvPair("A", "1")), true).name());
        assertEquals("article-pair+trim", pair.compose(null, List.of(), null, true, List.of()).name());
        assertEquals("mine", pair.compose("mine", List.of(), null, true, List.of()).name());
        assertEquals("article-pair", pair.compose(null, List.of(), null, false, List.of()).name());
        assertThrows(IllegalArgumentException.class, () -> pair.compose(null,
                List.of(new EnvPair("MALLOC_MMAP_THRESHOLD_", "1")), null, false, List.of()));
        assertThrows(IllegalArgumentException.class, () -> Variant.BASELINE.compose(null,
                List.of(new EnvPair("LD_PRELOAD", "x")), "/lib/y.so", false, List.of()));
    }
}
