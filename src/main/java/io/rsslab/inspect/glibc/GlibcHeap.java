package io.rsslab.inspect.glibc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.rsslab.inspect.ArenaLedger;
import io.rsslab.inspect.HeapReader;
import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;
import io.rsslab.inspect.Mapping;
import io.rsslab.inspect.ProcMemory;
import io.rsslab.inspect.Target;

/**
 * glibc's malloc, read by walking its heaps chunk by chunk (Snapshot,
 * ChunkWalker): the C library's own allocator, chosen when no other one
 * interposes. Without --stop the heaps are walked until two walks agree
 * (a few tries while the process is busy); standing still, once.
 */
public final class GlibcHeap implements HeapReader {

    /** Tries at two agreeing walks before the ledger is given as not consistent. */
    static final int TRIES = 5;

    @Override
    public String allocator() {
        return "glibc";
    }

    @Override
    public boolean interposes() {
        return false;
    }

    @Override
    public boolean recognises(List<String> mappedFiles) {
        return mappedFiles.stream().anyMatch(f -> f.endsWith("/libc.so.6") || f.matches(".*/libc-2\\.\\d+\\.so"));
    }

    @Override
    public Optional<Reading> read(Target t, String version, boolean stopped) throws InspectException {
        String[] v = version.split("\\.");
        GlibcLayout layout = GlibcLayout.of(Integer.parseInt(v[0]), Integer.parseInt(v[1]));
        if (layout == null) {
            throw new InspectException("process " + t.pid() + " runs glibc " + version + ", whose heap layout inspect "
                    + "does not model (2.27 to 2.40)");
        }
        try (ProcMemory memory = t.openMemory()) {
            return Optional.of(stopped ? once(t, memory, layout, version) : twice(t, memory, layout, version));
        } catch (IOException e) {
            throw new InspectException("cannot read process " + t.pid() + ": " + e.getMessage());
        }
    }

    /**
     * main_arena's address, the start of the ring of arenas (struct
     * malloc_state: its first word is its mutex, NEXT the offset of its next;
     * malloc.c), for an injected call that must not run into a held lock: the
     * injector follows the ring with every thread stopped (act.Injector). 0
     * when main_arena is not found (no [heap], or libc's data not as modelled).
     */
    public static long mainArena(Target t, String version) throws InspectException {
        String[] v = version.split("\\.");
        GlibcLayout layout = GlibcLayout.of(Integer.parseInt(v[0]), Integer.parseInt(v[1]));
        if (layout == null) {
            return 0;
        }
        try (ProcMemory memory = t.openMemory()) {
            return Snapshot.mainArenaOnly(memory, layout, t.smaps());
        } catch (IOException e) {
            throw new InspectException("cannot read process " + t.pid() + ": " + e.getMessage());
        }
    }

    /** The offset of next in struct malloc_state. */
    public static final long NEXT_OFFSET = GlibcLayout.NEXT;

    /** Walks twice until two walks agree; consistent when they did. */
    private static Reading twice(Target t, ProcMemory memory, GlibcLayout layout, String version)
            throws InspectException, IOException {
        LayoutException last = null;
        boolean differed = false;
        Snapshot previous = null;
        List<Mapping> previousMaps = null;
        long previousRss = 0;
        for (int i = 0; i < TRIES; i++) {
            if (i > 0) {
                // A busy process may be between two mallocs a moment later: wait a little longer each try.
                Inspector.pause(20L << i);
            }
            long rss = t.vmRssKb();
            List<Mapping> maps = t.smaps();
            try {
                Snapshot s = Snapshot.take(memory, layout, maps);
                if (previous != null && previous.sameAs(s) && previousRss == rss) {
                    return reading(s, maps, rss, true, i + 1);
                }
                differed |= previous != null || last != null;
                previous = s;
                previousMaps = maps;
                previousRss = rss;
            } catch (LayoutException e) {
                differed |= previous != null || last != null && !last.getMessage().equals(e.getMessage());
                last = e;
                previous = null;
            }
        }
        if (previous == null && !differed) {
            // The same refusal every time: the layout, not a change in the process.
            throw new InspectException("the heap of process " + t.pid() + " is not laid out as inspect models glibc "
                    + version + " (the same in " + TRIES + " walks): " + last.getMessage());
        }
        if (previous == null) {
            throw new InspectException("the heap of process " + t.pid() + " changed while it was read (" + TRIES
                    + " walks differed; the last: " + last.getMessage() + "); --stop freezes it for an exact walk");
        }
        return reading(previous, previousMaps, previousRss, false, TRIES);
    }

    /** The process stands still: one walk is exact. */
    private static Reading once(Target t, ProcMemory memory, GlibcLayout layout, String version)
            throws InspectException, IOException {
        long rss = t.vmRssKb();
        List<Mapping> maps = t.smaps();
        try {
            return reading(Snapshot.take(memory, layout, maps), maps, rss, true, 1);
        } catch (LayoutException e) {
            throw new Unclosed(e.getMessage());
        }
    }

    private static Reading reading(Snapshot s, List<Mapping> maps, long rss, boolean consistent, int walks) {
        List<ArenaLedger> arenas = new ArrayList<>();
        long mtrim = 0;
        long systrim = 0;
        long threadTop = 0;
        List<String> notes = new ArrayList<>(List.of("tcache and fastbin chunks are counted in use, as glibc marks "
                + "them; the prediction merges the fastbins' chunks with their free neighbours as malloc_trim's "
                + "malloc_consolidate does; the tcache's chunks (up to 7 of each size per thread) stay in use, in "
                + "glibc and in the prediction"));
        notes.addAll(s.notes);
        long mainHeapRss = maps.stream().filter(Mapping::heap).mapToLong(Mapping::rssKb).sum();
        for (Snapshot.Arena a : s.arenas) {
            HeapWalk w = a.walk();
            arenas.add(new ArenaLedger(a.main() ? "main" : "thread", a.main() ? 1 : a.heaps().size(),
                    a.mappedBytes() / 1024, a.main() ? mainHeapRss : a.residentPages() * 4, w.inUseBytes() / 1024,
                    w.freeBytes() / 1024, w.freeResidentPages() * 4, w.topBytes() / 1024, w.topResidentPages() * 4,
                    w.chunks()));
            mtrim += w.mtrimPages();
            systrim += w.systrimPages();
            if (!a.main()) {
                threadTop += w.topResidentPages();
            }
            if (w.foreignBytes() > 0) {
                notes.add(String.format(Locale.ROOT, "the main heap holds %d KiB between two of glibc's regions that "
                        + "are not glibc's (a foreign sbrk, after sysmalloc's double fencepost): not read as chunks",
                        (w.foreignBytes() + 1023) / 1024));
            }
            if (w.elsewhere()) {
                notes.add("the main heap ends in sysmalloc's double fencepost: the main arena went on in mmapped memory "
                        + "(sbrk could not grow), which is counted as other anonymous memory and not walked");
            }
        }
        Ledger.Heaps heaps = new Ledger.Heaps(List.copyOf(arenas), s.threadHeapResidentPages * 4,
                s.mmappedResidentPages * 4, s.mmappedChunks, (mtrim + systrim) * 4, systrim * 4, threadTop * 4,
                consistent, walks, s.micros, List.copyOf(notes));
        return new Reading(heaps, maps, rss, s.countedPages);
    }
}
