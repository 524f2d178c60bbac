package io.rsslab.inspect.glibc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
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
        GlibcLayout layout = layout(t, version);
        try (ProcMemory memory = t.openMemory()) {
            return Optional.of((stopped ? once(t, memory, layout, version) : twice(t, memory, layout, version))
                    .reading());
        } catch (IOException e) {
            throw new InspectException("cannot read process " + t.pid() + ": " + e.getMessage());
        }
    }

    /**
     * Where process pid's malloc keeps its state (main_arena, every arena,
     * mp_), from walks of its heaps until two agree, as read() makes them (a
     * heap that never closes is refused as read() refuses it). For rsslab
     * tune and trim, which write to those places under ptrace and read mp_
     * back through here.
     */
    public static LiveMalloc live(long pid) throws InspectException {
        Target t = Target.open(pid);
        List<Mapping> maps = t.smaps();
        String libc = Target.mappedFiles(maps).stream().filter(f -> new GlibcHeap().recognises(List.of(f))).findFirst()
                .orElseThrow(() -> new InspectException("process " + pid + " maps no glibc libc.so.6"));
        String version = t.glibcVersion(libc);
        GlibcLayout layout = layout(t, version);
        try (ProcMemory memory = t.openMemory()) {
            return twice(t, memory, layout, version).live();
        } catch (IOException e) {
            throw new InspectException("cannot read process " + pid + ": " + e.getMessage());
        }
    }

    private static GlibcLayout layout(Target t, String version) throws InspectException {
        String[] v = version.split("\\.");
        GlibcLayout layout = GlibcLayout.of(Integer.parseInt(v[0]), Integer.parseInt(v[1]));
        if (layout == null) {
            throw new InspectException("process " + t.pid() + " runs glibc " + version + ", whose heap layout inspect "
                    + "does not model (2.27 to 2.40)");
        }
        return layout;
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
    private static Walked twice(Target t, ProcMemory memory, GlibcLayout layout, String version)
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
    private static Walked once(Target t, ProcMemory memory, GlibcLayout layout, String version)
            throws InspectException, IOException {
        long rss = t.vmRssKb();
        List<Mapping> maps = t.smaps();
        try {
            return reading(Snapshot.take(memory, layout, maps), maps, rss, true, 1);
        } catch (LayoutException e) {
            throw new Unclosed(e.getMessage());
        }
    }

    /** A reading and the snapshot it was made of. */
    private record Walked(Reading reading, Snapshot snapshot) {
        LiveMalloc live() {
            Snapshot s = snapshot;
            return new LiveMalloc(s.libcBase, s.mainArena, List.copyOf(s.ring), s.params, s.params == null ? null
                    : FOUND_BY, List.copyOf(s.notes));
        }
    }

    /** How mp_ is found (Snapshot.params). */
    static final String FOUND_BY = "scan of libc's writable data: the struct malloc_par whose sbrk_base is [heap]'s "
            + "start and whose n_mmaps and mmapped_mem are the mmapped chunks walked";

    /** mp_ and the ring as the ledger's settings; each null where not known. */
    private static Ledger.Settings settings(Snapshot s) {
        MallocParams p = s.params;
        Integer arenas = s.mainArena == 0 ? null : s.ring.size();
        if (p == null) {
            return new Ledger.Settings(null, null, null, null, null, null, null, null, null, null, arenas, null);
        }
        return new Ledger.Settings(p.mmapThreshold(), p.trimThreshold(), p.topPad(), p.noDynThreshold() ? 1 : 0,
                (long) p.nMmaps(), (long) p.nMmapsMax(), p.mmappedMem(), p.maxMmappedMem(), p.arenaMax(),
                p.arenaTest(), arenas, FOUND_BY);
    }

    private static Walked reading(Snapshot s, List<Mapping> maps, long rss, boolean consistent, int walks) {
        List<ArenaLedger> arenas = new ArrayList<>();
        long mtrim = 0;
        long systrim = 0;
        long threadTop = 0;
        List<String> notes = new ArrayList<>(List.of("tcache chunks (up to 7 of each size per thread) are counted "
                + "in use, as glibc marks them, in the ledger and in the prediction; fastbin chunks are counted free "
                + "where their arena is known, as malloc_trim's malloc_consolidate frees them before it trims"));
        notes.addAll(s.notes);
        long mainHeapRss = maps.stream().filter(Mapping::heap).mapToLong(Mapping::rssKb).sum();
        List<Ledger.Pin> pins = new ArrayList<>();
        int thread = 0;
        for (Snapshot.Arena a : s.arenas) {
            HeapWalk w = a.walk();
            String name = a.main() ? "main" : "thread-" + (++thread);
            w.pins().forEach(p -> pins.add(new Ledger.Pin(name, p.address(), p.size(), p.chunks(), p.freePages() * 4)));
            HeapWalk.Bins b = w.bins();
            arenas.add(new ArenaLedger(a.main() ? "main" : "thread", a.main() ? 1 : a.heaps().size(),
                    a.mappedBytes() / 1024, a.main() ? mainHeapRss : a.residentPages() * 4, w.inUseBytes() / 1024,
                    w.freeBytes() / 1024, w.freeResidentPages() * 4, w.topBytes() / 1024, w.topResidentPages() * 4,
                    w.chunks(), a.main() ? s.mainArena : a.heaps().get(0).arena(), b.fast() / 1024,
                    b.unsorted() < 0 ? null : b.unsorted() / 1024, b.small() / 1024, b.large() / 1024));
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
                consistent, walks, s.micros, List.copyOf(notes), settings(s),
                pins.stream().sorted(Comparator.comparingLong(Ledger.Pin::holdsFreeKb).reversed()).limit(HeapWalk.PINS)
                        .toList());
        return new Walked(new Reading(heaps, maps, rss, s.countedPages), s);
    }
}
