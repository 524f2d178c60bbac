package io.rsslab.fork;

import java.util.HashMap;
import java.util.Map;

import io.rsslab.malloc.MmapThreshold;
import io.rsslab.plan.RunSpec;
import io.rsslab.run.Round;
import io.rsslab.run.RoundDetail;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/**
 * The one reader of the C core's records (src/main/c/records.h, version 3),
 * validating them against the run that was asked for: the header names the
 * same scenario, host and trim; the base reading comes once; the rounds are
 * the scenario's, in order; a pause comes exactly where it was asked for,
 * and is raised to the PauseHandler, which answers the child; "done" counts
 * the rounds. Anything else is a broken child. Each round gets the mmap
 * threshold inferred so far.
 */
public final class RecordParser implements ChildOutput {

    static final int VERSION = 3;

    /** Answers a paused child (acts on it, then lets it go on); returns the action's output. */
    public interface PauseHandler {
        String paused(int round, long pid) throws BadOutputException;
    }

    private final RunSpec spec;
    private final RunListener listener;
    private final MmapThreshold threshold;
    private final Integer pauseAfter;
    private final PauseHandler pauseHandler;
    private Map<String, String> header;
    private RunStart start;
    private int nextRound;
    private int lineNo;
    private boolean done;
    private String stopped;
    private String mallocInfo;
    private String pauseOutput;
    private boolean pausedHere;
    private Round.Pause pause;

    /** A run without a pause. */
    public RecordParser(RunSpec spec, RunListener listener, MmapThreshold threshold) {
        this(spec, listener, threshold, null, null);
    }

    /** pauseAfter: the round after which the child pauses (null: none), answered by handler. */
    public RecordParser(RunSpec spec, RunListener listener, MmapThreshold threshold, Integer pauseAfter,
            PauseHandler handler) {
        if ((pauseAfter == null) != (handler == null)) {
            throw new IllegalArgumentException("a pause needs a handler, and a handler a pause");
        }
        this.spec = spec;
        this.listener = listener;
        this.threshold = threshold;
        this.pauseAfter = pauseAfter;
        this.pauseHandler = handler;
        this.nextRound = spec.scenario().firstRound();
    }

    @Override
    public void line(String line) throws BadOutputException {
        lineNo++;
        if (done) {
            throw bad("output after 'done': " + abbreviate(line));
        }
        String[] f = line.split("\t", -1);
        Map<String, String> kv = fields(f, line);
        switch (f[0]) {
            case "rsslab" -> header(kv);
            case "base" -> base(kv);
            case "paused" -> paused(kv);
            case "resumed" -> resumed(kv);
            case "round" -> round(kv);
            case "malloc-failed" -> stopped = "malloc returned NULL in round " + need(kv, "k")
                    + " (allocation " + need(kv, "i") + ", " + need(kv, "size")
                    + " bytes), as the article's program would report by returning 1";
            case "error" -> stopped = "the child could not read "
                    + (need(kv, "field").equals("file") ? "" : kv.get("field") + " from ") + need(kv, "source")
                    + (kv.getOrDefault("k", "-1").equals("-1") ? " before the first round" : " in round " + kv.get("k"));
            case "malloc-info" -> mallocInfo = need(kv, "status");
            case "done" -> done(kv);
            default -> throw bad("unexpected output: " + abbreviate(line));
        }
    }

    private Map<String, String> fields(String[] f, String line) throws BadOutputException {
        Map<String, String> kv = keyValues(f);
        if (kv == null) {
            throw bad("unexpected output: " + abbreviate(line));
        }
        return kv;
    }

    /** The KEY=VALUE fields after a line's first (tab-separated) one; null when one of them is not KEY=VALUE. */
    static Map<String, String> keyValues(String[] f) {
        Map<String, String> kv = new HashMap<>();
        for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq <= 0) {
                return null;
            }
            kv.put(f[i].substring(0, eq), f[i].substring(eq + 1));
        }
        return kv;
    }

    private void header(Map<String, String> kv) throws BadOutputException {
        if (header != null) {
            throw bad("a second header");
        }
        if (number(kv, "version") != VERSION) {
            throw bad("records version " + kv.get("version") + ", this rsslab reads version " + VERSION);
        }
        String trim = spec.variant().trim() ? "1" : "0";
        if (!need(kv, "scenario").equals(spec.scenario().name()) || !need(kv, "host").equals(spec.host().label())
                || !need(kv, "trim").equals(trim)) {
            throw bad("the child ran " + kv.get("scenario") + " on " + kv.get("host") + " with trim=" + kv.get("trim")
                    + ", not what was asked (" + spec.scenario().name() + " on " + spec.host().label()
                    + " with trim=" + trim + ")");
        }
        number(kv, "pid");
        String preload = need(kv, "preload");
        if (spec.variant().preload() != null && !preload.equals("loaded")) {
            throw new BadOutputException("the child runs without its preload " + spec.variant().preload()
                    + " (preload=" + abbreviate(preload) + "): ld.so did not load it (see the child's stderr)");
        }
        header = kv;
    }

    private void base(Map<String, String> kv) throws BadOutputException {
        if (header == null || start != null) {
            throw bad("'base' out of order");
        }
        start = new RunStart(header.get("scenario"), header.get("host"), "1".equals(header.get("trim")),
                need(header, "glibc"), number(header, "pid"), number(kv, "rss_kb"),
                header.getOrDefault("allocator", "unknown"), optional(kv, "rss_anon_kb", -1L));
        listener.started(start);
    }

    private void paused(Map<String, String> kv) throws BadOutputException {
        int k = (int) number(kv, "k");
        if (start == null || pausedHere || pauseAfter == null || k != pauseAfter || k != nextRound) {
            throw bad("the child paused after round " + k + (pauseAfter == null ? ", but no pause was asked for"
                    : ", but the pause was asked for after round " + pauseAfter));
        }
        if (number(kv, "pid") != start.pid()) {
            throw bad("the pause names pid " + kv.get("pid") + ", not the child's " + start.pid());
        }
        pausedHere = true;
        pauseOutput = pauseHandler.paused(k, start.pid());
    }

    private void resumed(Map<String, String> kv) throws BadOutputException {
        int k = (int) number(kv, "k");
        if (!pausedHere || pause != null || k != nextRound) {
            throw bad("'resumed' for round " + k + " without its pause");
        }
        pause = new Round.Pause(pauseOutput, number(kv, "rss_kb"), number(kv, "rss_anon_kb"));
    }

    private void round(Map<String, String> kv) throws BadOutputException {
        if (start == null) {
            throw bad("'round' before the base reading");
        }
        int k = (int) number(kv, "k");
        if (k != nextRound || k > spec.scenario().lastRound()) {
            throw bad("round " + k + " where round " + nextRound + " was due");
        }
        if (pauseAfter != null && k == pauseAfter && pause == null) {
            throw bad("round " + k + " ended without the pause that was asked for after it");
        }
        RoundDetail detail = detail(kv);
        listener.round(start, new Round(k, number(kv, "bytes") / 1024, number(kv, "rss_after_alloc_kb"),
                number(kv, "rss_after_free_kb"), detail, k == nextRound && pausedHere ? pause : null,
                optional(kv, "live_after_free_kb", null)));
        pausedHere = false;
        pause = null;
        if (detail.freedMmappedMaxBytes() != null) {
            threshold.roundFreed(detail.freedMmappedMaxBytes());
        }
        nextRound++;
    }

    private RoundDetail detail(Map<String, String> kv) throws BadOutputException {
        boolean glibc = kv.containsKey("mmap_allocs");
        RoundDetail.Heap afterAlloc = glibc ? heap(kv, "after_alloc_kb") : null;
        RoundDetail.Heap afterFree = glibc ? heap(kv, "after_free_kb") : null;
        RoundDetail.Cost alloc = kv.containsKey("alloc_minflt") ? cost(kv, "alloc_") : null;
        RoundDetail.Cost free = kv.containsKey("free_minflt") ? cost(kv, "free_") : null;
        return new RoundDetail(optional(kv, "rss_anon_after_alloc_kb", null),
                optional(kv, "rss_anon_after_free_kb", null),
                glibc ? (int) number(kv, "mmap_allocs") : null,
                glibc ? number(kv, "freed_mmapped_max") : null,
                glibc ? threshold.currentKb() : null, afterAlloc, afterFree, alloc, free);
    }

    private RoundDetail.Heap heap(Map<String, String> kv, String phase) throws BadOutputException {
        return new RoundDetail.Heap(number(kv, "heap_" + phase), number(kv, "heap_free_" + phase),
                number(kv, "mmapped_" + phase), number(kv, "top_releasable_" + phase));
    }

    private RoundDetail.Cost cost(Map<String, String> kv, String phase) throws BadOutputException {
        return new RoundDetail.Cost(number(kv, phase + "minflt"), number(kv, phase + "user_us") / 1e6,
                number(kv, phase + "sys_us") / 1e6, number(kv, phase + "wall_us") / 1e6);
    }

    private void done(Map<String, String> kv) throws BadOutputException {
        if (number(kv, "rounds") != spec.scenario().rounds() || nextRound != spec.scenario().lastRound() + 1) {
            throw bad("'done' after " + (nextRound - spec.scenario().firstRound()) + " of "
                    + spec.scenario().rounds() + " rounds");
        }
        done = true;
    }

    @Override
    public void end() throws BadOutputException {
        if (stopped != null) {
            throw new BadOutputException(stopped);
        }
        if (!done) {
            int got = nextRound - spec.scenario().firstRound();
            throw new BadOutputException(header == null ? "the child printed no records"
                    : "the output stopped after " + got + " of " + spec.scenario().rounds() + " rounds");
        }
    }

    public boolean complete() {
        return done;
    }

    /** "written", "failed", or null when no malloc_info() was asked for (or glibc is not the allocator). */
    public String mallocInfoStatus() {
        return mallocInfo;
    }

    private String need(Map<String, String> kv, String key) throws BadOutputException {
        String v = kv.get(key);
        if (v == null) {
            throw bad("missing field " + key);
        }
        return v;
    }

    private long number(Map<String, String> kv, String key) throws BadOutputException {
        String s = need(kv, key);
        try {
            long v = Long.parseLong(s);
            if (v < 0) {
                throw bad("negative " + key + "=" + abbreviate(s));
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad("not a number: " + key + "=" + abbreviate(s));
        }
    }

    private Long optional(Map<String, String> kv, String key, Long absent) throws BadOutputException {
        return kv.containsKey(key) ? Long.valueOf(number(kv, key)) : absent;
    }

    private BadOutputException bad(String what) {
        return new BadOutputException("child output line " + lineNo + ": " + what);
    }

    static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
