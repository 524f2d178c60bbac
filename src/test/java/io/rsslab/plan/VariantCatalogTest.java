package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantCatalogTest {

    @Test
    void catalogHasEveryKnobTheArticleNamesAndTheUsualOthers() {
        VariantCatalog c = VariantCatalog.load();
        assertTrue(c.names().containsAll(List.of("baseline", "trim", "trim-threshold", "top-pad", "mmap-threshold",
                "mmap-max", "article-pair", "tunables-trim-threshold", "tunables-top-pad", "tunables-mmap-threshold",
                "tunables-mmap-max", "tunables-pair", "arena-max-1", "arena-max-2", "jemalloc", "tcmalloc",
                "mimalloc")), c.names().toString());
        for (String single : List.of("trim-threshold", "top-pad", "mmap-threshold", "mmap-max")) {
            assertEquals(1, c.find(single).orElseThrow().variant().env().size(), single);
        }
        Variant pair = c.find("article-pair").orElseThrow().variant();
        assertEquals("MALLOC_TRIM_THRESHOLD_=131072 MALLOC_MMAP_THRESHOLD_=131072", pair.envText());
        assertTrue(c.find("trim").orElseThrow().variant().trim());
        assertEquals("GLIBC_TUNABLES=glibc.malloc.trim_threshold=131072:glibc.malloc.mmap_threshold=131072",
                c.find("tunables-pair").orElseThrow().variant().envText());
    }

    @Test
    void preloadVariantsAreAvailableOnlyWhereTheLibraryIs(@TempDir Path libs) throws Exception {
        VariantCatalog empty = new VariantCatalog(VariantCatalog.load().entries(), List.of(libs));
        VariantCatalog.Entry je = empty.find("jemalloc").orElseThrow();
        assertEquals("libjemalloc.so.2 is not installed (Debian package libjemalloc2: apt-get install libjemalloc2)",
                empty.unavailableReason(je));
        assertThrows(IllegalArgumentException.class, () -> empty.resolved(je));
        assertNull(empty.unavailableReason(empty.find("baseline").orElseThrow()));

        Files.writeString(libs.resolve("libjemalloc.so.2"), "");
        assertNull(empty.unavailableReason(je));
        assertEquals(libs.resolve("libjemalloc.so.2").toString(), empty.resolved(je).preload());
        assertEquals("LD_PRELOAD", empty.resolved(je).envMap().keySet().iterator().next());
    }

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

    @Test
    void envPairsAreParsedStrictly() {
        assertEquals(new EnvPair("GLIBC_TUNABLES", "glibc.malloc.top_pad=1:a=b"),
                EnvPair.parse("GLIBC_TUNABLES=glibc.malloc.top_pad=1:a=b"));
        assertEquals(new EnvPair("EMPTY", ""), EnvPair.parse("EMPTY="));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("NOEQ"));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("=v"));
        assertThrows(IllegalArgumentException.class, () -> EnvPair.parse("A-B=1"));
    }
}
