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
        assertThrows(PlanException.class, () -> empty.resolved(je));
        assertNull(empty.unavailableReason(empty.find("baseline").orElseThrow()));

        // Any x86-64 shared object stands in for the library: rsslab's own.
        Files.copy(Path.of("target/classes/native/linux-x86_64/librsslab.so"), libs.resolve("libjemalloc.so.2"));
        assertNull(empty.unavailableReason(je));
        assertEquals(libs.resolve("libjemalloc.so.2").toRealPath().toString(), empty.resolved(je).preload());
        assertEquals("LD_PRELOAD", empty.resolved(je).envMap().keySet().iterator().next());
    }
}
