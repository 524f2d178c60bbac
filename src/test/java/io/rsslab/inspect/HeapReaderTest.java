package io.rsslab.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The seam: readers are found, each recognises its allocator's mappings, and one that interposes wins. */
class HeapReaderTest {

    static final String LIBC = "/usr/lib/x86_64-linux-gnu/libc.so.6";

    @Test
    void glibcsWalkIsFoundBehindTheSeam() {
        HeapReader r = Inspector.reader(List.of("/usr/bin/python3.11", LIBC)).orElseThrow();
        assertEquals("glibc", r.allocator());
        assertEquals("io.rsslab.inspect.glibc.GlibcHeap", r.getClass().getName());
    }

    @Test
    void anAllocatorThatInterposesIsChosenOverTheCLibrarysOwn() {
        HeapReader r = Inspector.reader(List.of("/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", LIBC)).orElseThrow();
        assertEquals("jemalloc", r.allocator());
        assertTrue(Inspector.reader(List.of("/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4", LIBC))
                .orElseThrow().allocator().equals("tcmalloc"));
    }

    @Test
    void noAllocatorItKnowsIsNone() {
        assertTrue(Inspector.reader(List.of("/lib/ld-musl-x86_64.so.1")).isEmpty());
    }
}
