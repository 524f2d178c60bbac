package io.rsslab.inspect;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Allocators inspect recognises by their library (lib<name>*.so among the
 * mapped files) but does not read: their heaps are their own, and what they
 * keep free is not known to inspect.
 */
enum UnwalkedAllocator implements HeapReader {
    JEMALLOC, TCMALLOC, MIMALLOC, HOARD, TBBMALLOC, SNMALLOC;

    @Override
    public String allocator() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean interposes() {
        return true;
    }

    @Override
    public boolean recognises(List<String> mappedFiles) {
        return mappedFiles.stream().anyMatch(f -> f.substring(f.lastIndexOf('/') + 1).startsWith("lib" + allocator()));
    }

    @Override
    public Optional<Reading> read(Target target, String libcVersion, boolean stopped) {
        return Optional.empty();
    }
}
