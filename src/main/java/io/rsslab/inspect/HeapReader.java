package io.rsslab.inspect;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A heap that rsslab can read: it recognises its allocator in a process's
 * mappings and fills its part of the ledger (Ledger.Heaps). Inspector finds
 * the readers with ServiceLoader (META-INF/services), so a reader lives in a
 * package above this one and is added there: glibc's walk is
 * io.rsslab.inspect.glibc.GlibcHeap. An allocator that is recognised but not
 * read (UnwalkedAllocator) gives no part: the ledger says "not known".
 */
public interface HeapReader {

    /** The allocator, as the ledger names it. */
    String allocator();

    /** An allocator that interposes malloc (LD_PRELOAD, or linked in) is chosen over the C library's own. */
    boolean interposes();

    /** Whether this allocator's code is in the process: its library among the files it maps. */
    boolean recognises(List<String> mappedFiles);

    /**
     * Reads the heaps. stopped: the process stands still (SIGSTOP) and one
     * reading is exact; otherwise the reader says whether its readings agreed.
     * Empty when this allocator's heaps are not read. Unclosed: see there.
     */
    Optional<Reading> read(Target target, String libcVersion, boolean stopped) throws InspectException;

    /**
     * A reading standing still that did not close: the process may have been
     * stopped inside malloc, halfway through writing a chunk's headers (a
     * thread holds its arena's lock and the heap is between two states), or
     * the layout is not the one modelled. Inspector lets the process run a
     * moment and reads again: the same failure every time is the layout.
     */
    final class Unclosed extends InspectException {
        private static final long serialVersionUID = 1L;

        public Unclosed(String where) {
            super(where);
        }
    }

    /**
     * One reading: the heaps' part of the ledger, the maps and VmRSS read at
     * the same moment, and the resident pages the part accounts for outside
     * [heap], by an address inside their mapping (the rest of that mapping is
     * other anonymous memory).
     */
    record Reading(Ledger.Heaps heaps, List<Mapping> maps, long rssKb, Map<Long, Long> countedPages) {
    }
}
