package io.rsslab.inspect.glibc;

import java.util.List;

/**
 * Where a running process's glibc malloc keeps its state, found without
 * symbols (GlibcHeap.live): libc's load address, main_arena's address (0
 * when it was not found or did not validate), every arena's address in the
 * order of the arenas' ring (main_arena first, then its next, ...; a thread
 * arena's mutex is its first word, as main_arena's), mp_ (null when not
 * found or not validated), how mp_ was found, and what could not be
 * validated.
 */
public record LiveMalloc(long libcBase, long mainArena, List<Long> arenas, MallocParams params, String foundBy,
        List<String> notes) {
}
