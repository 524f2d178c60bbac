package io.rsslab.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FileMemo: one read per file while it is the same file; a replaced or rewritten file is read again. */
class FileMemoTest {

    @TempDir
    Path dir;

    @Test
    void theSameFileIsReadOnceAndAReplacedOneAgain() throws Exception {
        FileMemo<String> memo = new FileMemo<>(2);
        AtomicInteger reads = new AtomicInteger();
        FileMemo.Source<String, Exception> read = f -> {
            reads.incrementAndGet();
            return Files.readString(f);
        };
        Path a = Files.writeString(dir.resolve("a"), "one");
        Path link = Files.createSymbolicLink(dir.resolve("link"), a);
        assertEquals("one", memo.get(a, read));
        assertEquals("one", memo.get(a, read));
        assertEquals("one", memo.get(link, read), "the same file by another path (as /proc/PID/root gives it)");
        assertEquals(1, reads.get());
        // Replaced as a package upgrade replaces it: a new file renamed over the old one (a new inode).
        Path next = Files.writeString(dir.resolve("a.new"), "two");
        Files.move(next, a, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("two", memo.get(a, read));
        assertEquals(2, reads.get());
        // Rewritten in place with another length: its size tells.
        Files.writeString(a, "three");
        assertEquals("three", memo.get(a, read));
        assertEquals(3, reads.get());
    }

    @Test
    void itIsBoundedAndAFileItCannotStatIsReadEveryTime() throws Exception {
        FileMemo<String> memo = new FileMemo<>(2);
        AtomicInteger reads = new AtomicInteger();
        FileMemo.Source<String, Exception> read = f -> {
            reads.incrementAndGet();
            return f.getFileName().toString();
        };
        Path[] files = {Files.writeString(dir.resolve("x"), "x"), Files.writeString(dir.resolve("y"), "yy"),
            Files.writeString(dir.resolve("z"), "zzz")};
        for (Path f : files) {
            memo.get(f, read);
        }
        memo.get(files[0], read);
        assertEquals(4, reads.get(), "x was the least recently used of three in a memo of two: read again");
        Path gone = dir.resolve("gone");
        memo.get(gone, read);
        memo.get(gone, read);
        assertEquals(6, reads.get());
    }
}
