package io.rsslab.fork;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What rsslab-probe --replay printed (src/main/c/replay.h): its base reading,
 * its samples, how the trace ended, or the one line that says why it could
 * not replay. The one reader of those lines; anything else in them is a
 * broken child.
 */
public record ReplayOutput(Base base, List<Sample> samples, End end, Arenas arenas, String failure, List<Pin> pins,
        List<Walk> walks, List<Raise> raises) {

    /** A walk of the replay's heaps: its number, where it was made, the replay's kept memory then. */
    public record Walk(int walk, String moment, long keptKb) {
    }

    /**
     * A live block of the replay that holds pinned bytes of resident free memory below it, which its heap's top
     * cannot shrink past (src/main/c/pins.c), at a walk (moment: peak, before_exit or end); stack 0: unknown.
     */
    public record Pin(int walk, String moment, long heap, long block, long size, long stack, long pinned,
            boolean nearestTop) {
    }

    /** The free at record (its number in the trace) raised the dynamic mmap threshold to raisedTo bytes. */
    public record Raise(long record, long raisedTo, long stack) {
    }

    /**
     * The pins of the last walk at the moment given; "peak": the walk, whatever its moment, where the kept
     * memory was largest (walks are made where it grew by a tenth, before exit and at the end).
     */
    public List<Pin> pinsAt(String moment) {
        int walk = moment.equals("peak")
                ? walks.stream().max((a, b) -> Long.compare(a.keptKb(), b.keptKb())).map(Walk::walk).orElse(-1)
                : walks.stream().filter(w -> w.moment().equals(moment)).mapToInt(Walk::walk).max().orElse(-1);
        return pins.stream().filter(p -> p.walk() == walk).toList();
    }

    /**
     * VmRSS before the first call, what the child says of its allocator and preload, and its timing:
     * "back-to-back" or "recorded" (the program's idle gaps slept).
     */
    public record Base(long rssKb, long rssAnonKb, String allocator, String preload, String timing) {
    }

    /**
     * The arenas the program's threads used (from the trace) and the replay's threads (their first heap
     * blocks' chunk headers), and the threads whose arenas differ ("thread T: program's arena a, replay's
     * b", the arenas numbered in the order threads first used them, 0 the main arena, -1 none known).
     */
    public record Arenas(long program, long replay, long threadsDiffer, List<String> differs) {
    }

    /**
     * One sample: after that many calls (recorded at recordedMs of the program's run). mallinfo2's four
     * counters are null where the replayer left them out (they cost more than a tenth of its time: see
     * replay.c, sample); the program's own VmRSS and RssAnon are null where the trace has no sample of it
     * yet (trace version 1, or before the recorder's first).
     */
    public record Sample(long events, long recordedMs, double wallSeconds, long sleptUs, int threads, long liveBytes,
            long liveBlocks, long rssKb, long rssAnonKb, Long heapKb, Long heapFreeKb, Long mmappedKb,
            Long topReleasableKb, Long programRssKb, Long programRssAnonKb, boolean last, String moment) {

        /**
         * "kept": the replay's anonymous resident memory above its own before the first call that the
         * program's live blocks do not explain, within 0 and that memory: it can never exceed what the
         * process holds (VmRSS counted the replayer's file pages too, and went negative where pages of
         * the live blocks were never written by the program).
         */
        public long retainedKb(long baseAnonKb) {
            long held = Math.max(0, rssAnonKb - baseAnonKb);
            return Math.max(0, Math.min(held, held - liveBytes / 1024));
        }

        /** The sample taken where the program's exit began (the recorder's mark). */
        public boolean beforeExit() {
            return "before_exit".equals(moment);
        }
    }

    /**
     * How the trace ended: complete (its END record read), or cut inside a record; what was skipped;
     * whether the program ended through exit() or execve (false: it crashed or was killed, and the calls
     * still in its buffers are not in the trace) and how many calls the recorder lost.
     */
    public record End(long events, boolean complete, long cutBytes, long failedSkipped, long unknownFrees,
            long firstUnknownFree, long unknownReallocs, long firstUnknownRealloc, long reusedAddresses,
            long firstReusedAddress, boolean programEnded, long lost) {
    }

    /** Reads the child's output file; bad lines throw BadOutputException. */
    public static ReplayOutput read(Path output) throws IOException, BadOutputException {
        Base base = null;
        List<Sample> samples = new ArrayList<>();
        End end = null;
        Arenas arenas = null;
        List<String> differs = new ArrayList<>();
        String failure = null;
        List<Pin> pins = new ArrayList<>();
        List<Raise> raises = new ArrayList<>();
        List<Walk> walks = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(output, StandardCharsets.ISO_8859_1)) {
            n++;
            String[] f = line.split("\t", -1);
            Map<String, String> kv = RecordParser.keyValues(f);
            try {
                switch (kv == null ? "" : f[0]) {
                    case "base" -> base = new Base(num(kv, "rss_kb"), num(kv, "rss_anon_kb"), need(kv, "allocator"),
                            need(kv, "preload"), kv.getOrDefault("timing", "back-to-back"));
                    case "sample" -> samples.add(new Sample(num(kv, "events"), num(kv, "recorded_ms"),
                            num(kv, "wall_us") / 1e6, kv.containsKey("slept_us") ? num(kv, "slept_us") : 0,
                            (int) num(kv, "threads"), num(kv, "live_bytes"),
                            num(kv, "live_blocks"), num(kv, "rss_kb"), num(kv, "rss_anon_kb"), opt(kv, "heap_kb"),
                            opt(kv, "heap_free_kb"), opt(kv, "mmapped_kb"), opt(kv, "top_releasable_kb"),
                            opt(kv, "program_rss_kb"), opt(kv, "program_rss_anon_kb"), num(kv, "final") == 1,
                            kv.getOrDefault("moment", "during")));
                    case "arena_differs" -> differs.add("thread " + num(kv, "thread") + ": program's arena "
                            + need(kv, "program_arena") + ", replay's " + need(kv, "replay_arena"));
                    case "arenas" -> arenas = new Arenas(num(kv, "program"), num(kv, "replay"),
                            num(kv, "threads_differ"), List.copyOf(differs));
                    case "end" -> end = new End(num(kv, "events"), num(kv, "complete") == 1, num(kv, "cut_bytes"),
                            num(kv, "failed_skipped"), num(kv, "unknown_frees"), num(kv, "first_unknown_free"),
                            num(kv, "unknown_reallocs"), num(kv, "first_unknown_realloc"),
                            num(kv, "reused_addresses"), num(kv, "first_reused_address"),
                            num(kv, "program_ended") == 1, num(kv, "lost"));
                    case "pin" -> pins.add(new Pin((int) num(kv, "walk"), need(kv, "moment"), num(kv, "heap"),
                            unsigned(kv, "block"), num(kv, "size"), num(kv, "stack"), num(kv, "pinned"),
                            num(kv, "nearest_top") == 1));
                    case "pins" -> walks.add(new Walk((int) num(kv, "walk"), need(kv, "moment"),
                            unsigned(kv, "kept_kb")));
                    case "raise" -> raises.add(new Raise(num(kv, "record"), num(kv, "raised_to"), num(kv, "stack")));
                    case "bad" -> failure = "record " + need(kv, "record") + ": " + need(kv, "reason");
                    case "malloc_failed" -> failure = "malloc returned NULL replaying record " + need(kv, "record");
                    case "error" -> failure = "the replayer could not read " + need(kv, "field") + " from "
                            + need(kv, "source");
                    default -> {
                        // The probe's own usage line, or an allocator's message: kept in the output file.
                        if (failure == null && !line.isBlank()) {
                            failure = RecordParser.abbreviate(line);
                        }
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new BadOutputException("replay output line " + n + ": " + e.getMessage());
            }
        }
        return new ReplayOutput(base, samples, end, arenas, failure, List.copyOf(pins), List.copyOf(walks),
                List.copyOf(raises));
    }

    private static String need(Map<String, String> kv, String key) {
        String v = kv.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing field " + key);
        }
        return v;
    }

    /** An address (printed as a C long: may be negative). */
    private static long unsigned(Map<String, String> kv, String key) {
        try {
            return Long.parseLong(need(kv, key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + key);
        }
    }

    private static Long opt(Map<String, String> kv, String key) {
        return kv.containsKey(key) ? num(kv, key) : null;
    }

    private static long num(Map<String, String> kv, String key) {
        String v = need(kv, key);
        try {
            long x = Long.parseLong(v);
            if (x < 0) {
                throw new IllegalArgumentException("negative " + key);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + key + "=" + RecordParser.abbreviate(v));
        }
    }

    /** The program's own largest sampled VmRSS (kB) among the samples, or null when none has it. */
    public Long programPeakRssKb() {
        return samples.stream().map(Sample::programRssKb).filter(x -> x != null).max(Long::compare).orElse(null);
    }

    /** The sample where the program's exit began, or null (a trace without the mark). */
    public Sample beforeExit() {
        return samples.stream().filter(Sample::beforeExit).findFirst().orElse(null);
    }

    /** The last sample (the one taken at the end), or null. */
    public Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }
}
