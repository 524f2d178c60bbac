package io.rsslab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Preloads are checked as glibc's loader checks them; see also ArgumentErrorsTest for the one-line refusals. */
class PreloadsTest {

    static final Path LIB = Path.of("target/classes/native/linux-x86_64/librsslab.so").toAbsolutePath();

    @Test
    void aSharedLibraryPassesAndIsNamedByItsRealPath(@TempDir Path dir) throws Exception {
        assertNull(Preloads.notPreloadable(LIB));
        Path link = Files.createSymbolicLink(dir.resolve("liblink.so"), LIB);
        assertEquals(LIB.toRealPath().toString(), Preloads.check(link), "the path the child's maps will show");
    }

    @Test
    void executablesAreNotSharedLibraries() {
        assertEquals("it is a position-independent executable, not a shared library",
                Preloads.notPreloadable(Path.of("/bin/ls")));
    }

    @Test
    void aMissingFileIsSaidSo() {
        PlanException e = assertThrows(PlanException.class, () -> Preloads.check(Path.of("/no/such/lib.so")));
        assertTrue(e.getMessage().endsWith("no such file"), e.getMessage());
    }
}
