package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVPrinter;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.GsonBuilder;

import io.rsslab.data.CsvSchema;
import io.rsslab.inspect.Advice;
import io.rsslab.inspect.ArenaLedger;
import io.rsslab.inspect.Ledger;

/** inspect's ledger as a table, as JSON (exactly the keys of issue 11), or as CSV (a row per region and arena). */
public final class InspectReport {

    public static final CsvSchema<InspectColumn> SCHEMA = CsvSchema.of(InspectColumn.class);

    private InspectReport() {
    }

    /** The JSON object, its keys exactly issue 11's (snake_case from these records' components). */
    record Json(long pid, String command, String allocator, String glibcVersion, long rssKb, List<JsonArena> arenas,
            Long mmappedChunksKb, long otherAnonKb, long fileKb, long unexplainedKb, Long trimReleasableKb,
            Long threadTopResidentKb, boolean consistent, String verdict, List<String> advice, JsonSettings settings,
            List<JsonPin> pins) {
    }

    /** Issue 24's settings object: mp_ now, each null where unknown, and the environment's requests against it. */
    record JsonSettings(Long mmapThreshold, Long trimThreshold, Long topPad, Integer noDynThreshold, Long nMmaps,
            Long nMmapsMax, Long mmappedBytes, Long maxMmappedBytes, Long arenaMax, Long arenaTest, Integer arenas,
            String foundBy, List<Ledger.Requested> requested) {
    }

    record JsonPin(String arena, String address, long size, long chunks, long holdsFreeKb) {
    }

    record JsonArena(String kind, int heaps, long mappedKb, long rssKb, long inUseKb, long freeKb, long freeResidentKb,
            long topKb, long topResidentKb, String address, long fastbinsKb, Long unsortedKb, long smallBinsKb,
            long largeBinsKb) {
    }

    public static String json(Ledger l) {
        // A figure of the heaps' part that was not read is null in the JSON: "not known".
        Optional<Ledger.Heaps> h = l.heaps();
        Json j = new Json(l.pid(), l.command(), l.allocator(), l.glibcVersion(), l.rssKb(), l.arenas().stream()
                .map(a -> new JsonArena(a.kind(), a.heaps(), a.mappedKb(), a.rssKb(), a.inUseKb(), a.freeKb(),
                        a.freeResidentKb(), a.topKb(), a.topResidentKb(), a.address() == 0 ? null : hex(a.address()),
                        a.fastbinsKb(), a.unsortedKb(), a.smallBinsKb(), a.largeBinsKb())).toList(),
                h.map(Ledger.Heaps::mmappedChunksKb).orElse(null), l.otherAnonKb(), l.fileKb(), l.unexplainedKb(),
                h.map(Ledger.Heaps::trimReleasableKb).orElse(null), h.map(Ledger.Heaps::threadTopResidentKb).orElse(null),
                l.consistent(), Advice.verdict(l), Advice.advice(l), settings(l), pins(l).stream()
                        .map(p -> new JsonPin(p.arena(), hex(p.address()), p.size(), p.chunks(), p.holdsFreeKb()))
                        .toList());
        return new GsonBuilder().serializeNulls().setPrettyPrinting().disableHtmlEscaping()
                .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create().toJson(j);
    }

    private static JsonSettings settings(Ledger l) {
        Ledger.Settings s = l.settings();
        return new JsonSettings(s.mmapThreshold(), s.trimThreshold(), s.topPad(), s.noDynThreshold(), s.nMmaps(),
                s.nMmapsMax(), s.mmappedBytes(), s.maxMmappedBytes(), s.arenaMax(), s.arenaTest(), s.arenas(),
                s.foundBy(), l.context().requested());
    }

    private static List<Ledger.Pin> pins(Ledger l) {
        return l.heaps().map(Ledger.Heaps::pins).orElse(List.of());
    }

    static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** The live settings as name and value (null: unknown), in the JSON's order. */
    private static List<Map.Entry<String, Object>> settingRows(Ledger.Settings s) {
        List<Map.Entry<String, Object>> rows = new ArrayList<>();
        rows.add(new AbstractMap.SimpleEntry<>("mmap_threshold", s.mmapThreshold()));
        rows.add(new AbstractMap.SimpleEntry<>("trim_threshold", s.trimThreshold()));
        rows.add(new AbstractMap.SimpleEntry<>("top_pad", s.topPad()));
        rows.add(new AbstractMap.SimpleEntry<>("no_dyn_threshold", s.noDynThreshold()));
        rows.add(new AbstractMap.SimpleEntry<>("n_mmaps", s.nMmaps()));
        rows.add(new AbstractMap.SimpleEntry<>("n_mmaps_max", s.nMmapsMax()));
        rows.add(new AbstractMap.SimpleEntry<>("mmapped_bytes", s.mmappedBytes()));
        rows.add(new AbstractMap.SimpleEntry<>("max_mmapped_bytes", s.maxMmappedBytes()));
        rows.add(new AbstractMap.SimpleEntry<>("arena_max", s.arenaMax()));
        rows.add(new AbstractMap.SimpleEntry<>("arena_test", s.arenaTest()));
        rows.add(new AbstractMap.SimpleEntry<>("arenas", s.arenas()));
        return rows;
    }

    public static void csv(Ledger l, Appendable out) throws IOException {
        CSVPrinter p = new CSVPrinter(out, SCHEMA.format());
        region(p, l, "main_heap", l.mainHeapKb());
        region(p, l, "thread_heaps", l.heaps().map(Ledger.Heaps::threadHeapsKb).orElse(null));
        region(p, l, "mmapped_chunks", l.heaps().map(Ledger.Heaps::mmappedChunksKb).orElse(null));
        region(p, l, "other_anon", l.otherAnonKb());
        region(p, l, "file", l.fileKb());
        region(p, l, "unexplained", l.unexplainedKb());
        int n = 0;
        for (ArenaLedger a : l.arenas()) {
            p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "arena")
                    .set(InspectColumn.NAME, a.kind().equals("main") ? "main" : "thread-" + (++n))
                    .set(InspectColumn.RSS_KB, a.rssKb()).set(InspectColumn.MAPPED_KB, a.mappedKb())
                    .set(InspectColumn.HEAPS, a.heaps()).set(InspectColumn.CHUNKS, a.chunks())
                    .set(InspectColumn.IN_USE_KB, a.inUseKb()).set(InspectColumn.FREE_KB, a.freeKb())
                    .set(InspectColumn.FREE_RESIDENT_KB, a.freeResidentKb()).set(InspectColumn.TOP_KB, a.topKb())
                    .set(InspectColumn.TOP_RESIDENT_KB, a.topResidentKb())
                    .set(InspectColumn.ADDRESS, a.address() == 0 ? null : hex(a.address()))
                    .set(InspectColumn.FASTBINS_KB, a.fastbinsKb()).set(InspectColumn.UNSORTED_KB, a.unsortedKb())
                    .set(InspectColumn.SMALL_BINS_KB, a.smallBinsKb()).set(InspectColumn.LARGE_BINS_KB, a.largeBinsKb())
                    .values());
        }
        for (Map.Entry<String, Object> e : settingRows(l.settings())) {
            p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "setting")
                    .set(InspectColumn.NAME, e.getKey()).set(InspectColumn.VALUE, e.getValue()).values());
        }
        for (Ledger.Requested r : l.context().requested()) {
            p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "requested")
                    .set(InspectColumn.NAME, r.setting()).set(InspectColumn.VALUE, r.verdict() + ": " + r.says())
                    .values());
        }
        for (Ledger.Pin pin : pins(l)) {
            p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "pin")
                    .set(InspectColumn.NAME, pin.arena()).set(InspectColumn.CHUNKS, pin.chunks())
                    .set(InspectColumn.ADDRESS, hex(pin.address())).set(InspectColumn.SIZE, pin.size())
                    .set(InspectColumn.HOLDS_FREE_KB, pin.holdsFreeKb()).values());
        }
        p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "verdict")
                .set(InspectColumn.NAME, "verdict").set(InspectColumn.VALUE, Advice.verdict(l)).values());
        p.flush();
    }

    private static void region(CSVPrinter p, Ledger l, String name, Long kb) throws IOException {
        p.printRecord(SCHEMA.row().set(InspectColumn.PID, l.pid()).set(InspectColumn.ROW, "region")
                .set(InspectColumn.NAME, name).set(InspectColumn.RSS_KB, kb).values());
    }

    public static void table(Ledger l, PrintWriter out) {
        out.printf("process %d: %s%n", l.pid(), l.command());
        out.printf("malloc: %s, glibc %s; VmRSS %s MiB%s%n", l.allocator(), l.glibcVersion(), mib(l.rssKb()),
                l.stoppedMicros() != null ? String.format(Locale.ROOT, "; stood still %.1f ms (--stop)",
                        l.stoppedMicros() / 1000.0)
                        : l.consistent() ? "; two walks agreed (consistent)" : "; NOT consistent: the process changed "
                                + "its heap between walks (--stop freezes it)");
        out.println();
        out.printf("%-16s %10s%n", "where", "rss_MiB");
        row(out, "main heap", l.mainHeapKb());
        row(out, "thread heaps", l.heaps().map(Ledger.Heaps::threadHeapsKb).orElse(null));
        row(out, "mmapped chunks", l.heaps().map(Ledger.Heaps::mmappedChunksKb).orElse(null));
        row(out, "other anonymous", l.otherAnonKb());
        row(out, "file-backed", l.fileKb());
        row(out, "unexplained", l.unexplainedKb());
        row(out, "VmRSS", l.rssKb());
        if (l.heaps().isPresent()) {
            Ledger.Heaps h = l.heaps().get();
            out.println();
            out.printf("%-8s %5s %9s %9s %9s %9s %13s %9s %12s %9s%n", "arena", "heaps", "mapped", "rss", "in_use",
                    "free", "free_resident", "top", "top_resident", "chunks");
            for (ArenaLedger a : l.arenas()) {
                out.printf("%-8s %5d %9s %9s %9s %9s %13s %9s %12s %9d%n", a.kind(), a.heaps(), mib(a.mappedKb()),
                        mib(a.rssKb()), mib(a.inUseKb()), mib(a.freeKb()), mib(a.freeResidentKb()), mib(a.topKb()),
                        mib(a.topResidentKb()), a.chunks());
            }
            out.printf("%-8s %18s %9s %9s %9s %9s%n", "arena", "address", "fastbins", "unsorted", "small", "large");
            for (ArenaLedger a : l.arenas()) {
                out.printf("%-8s %18s %9s %9s %9s %9s%n", a.kind(), a.address() == 0 ? "unknown" : hex(a.address()),
                        mib(a.fastbinsKb()), mib(a.unsortedKb()), mib(a.smallBinsKb()), mib(a.largeBinsKb()));
            }
            out.printf(Locale.ROOT, "(MiB; in_use counts tcache chunks, which glibc marks in use; free counts fastbin "
                    + "chunks where their arena is known; %d chunks "
                    + "walked in %.0f ms, %d walk%s)%n", l.arenas().stream().mapToLong(ArenaLedger::chunks).sum(),
                    h.walkMicros() / 1000.0, h.walks(), h.walks() == 1 ? "" : "s");
            out.println();
            out.printf("malloc_trim(0) would return now:            %s MiB%n", mib(h.trimReleasableKb()));
            out.printf("resident at thread heaps' tops (it cannot): %s MiB%n", mib(h.threadTopResidentKb()));
        }
        Ledger.Settings s = l.settings();
        if (l.heaps().isPresent()) {
            out.println(s.mmapThreshold() == null ? "live settings (mp_): unknown" : String.format(Locale.ROOT,
                    "live settings (mp_): mmap_threshold %d, trim_threshold %d, top_pad %d, the dynamic threshold %s;"
                    + " %d mmapped chunks of %d bytes (at most %d bytes so far), n_mmaps_max %d; arena_max %d, "
                    + "arena_test %d", s.mmapThreshold(), s.trimThreshold(), s.topPad(), s.noDynThreshold() == 1
                            ? "off" : "on", s.nMmaps(), s.mmappedBytes(), s.maxMmappedBytes(), s.nMmapsMax(),
                    s.arenaMax(), s.arenaTest()));
        }
        Ledger.Context c = l.context();
        c.requested().forEach(r -> out.println("requested: " + r.setting() + ": " + r.says() + ": " + r.verdict()));
        if (!pins(l).isEmpty()) {
            out.println("pins (live chunks above free memory that free()'s trim cannot return):");
            pins(l).forEach(p -> out.printf(Locale.ROOT, "  %d live chunk%s of %d bytes at 0x%x hold%s %s MiB of free "
                    + "resident memory below %s in the %s%n", p.chunks(), p.chunks() == 1 ? "" : "s", p.size(),
                    p.address(), p.chunks() == 1 ? "s" : "", mib(p.holdsFreeKb()), p.chunks() == 1 ? "it" : "them",
                    p.arena().equals("main") ? "main heap" : p.arena() + "'s heap"));
        }
        out.printf("arenas: %d, glibc's limit %d (%s)%n", c.arenas(), c.arenaLimit(), c.arenaLimitSource());
        out.println("malloc settings at start: " + (c.mallocSettings().isEmpty() ? "none"
                : String.join(" ", c.mallocSettings())));
        c.notes().forEach(n -> out.println("note: " + n));
        out.println();
        out.println("verdict: " + Advice.verdict(l));
        List<String> advice = Advice.advice(l);
        if (!advice.isEmpty()) {
            out.println("what would help:");
            advice.forEach(a -> out.println("  " + a));
        }
        out.flush();
    }

    private static void row(PrintWriter out, String what, Long kb) {
        out.printf("%-16s %10s%n", what, kb == null ? "unknown" : mib(kb));
    }

    static String mib(Long kb) {
        return kb == null ? "unknown" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }
}
