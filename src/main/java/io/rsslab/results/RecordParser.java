package io.rsslab.results;

import java.util.HashMap;
import java.util.Map;

import io.rsslab.plan.RunSpec;

/**
 * Validates the C core's records (src/main/c/records.h, version 2) against
 * the run that was asked for: the header names the same scenario, host and
 * trim; the base reading comes once; the rounds are the scenario's, in
 * order; "done" counts them. Anything else is a broken child. Each round
 * gets the mmap threshold inferred so far.
 */
public final class RecordParser implements ChildOutput {

    static final int VERSION = 2;

    private final RunSpec spec;
    private final RunListener listener;
    private final MmapThreshold threshold;
    private Map<String, String> header;
    private RunStart start;
    private int nextRound;
    private int lineNo;
    private boolean done;
    private String mallocFailure;
    private String mallocInfo;
    private Integer pausedRound;
    private Long resumedRssKb;

    public RecordParser(RunSpec spec, RunListener listener) {
        this(spec, listener, MmapThreshold.dynamicFromDefault());
    }

    public RecordParser(RunSpec spec, RunListener listener, MmapThreshold threshold) {
        this.spec = spec;
        this.listener = listener;
        this.threshold = threshold;
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
            case "round" -> round(kv);
            case "malloc-failed" -> mallocFailure = "malloc returned NULL in round " + need(kv, "k")
                    + " (allocation " + need(kv, "i") + ", " + need(kv, "size")
                    + " bytes), as the article's program would report by returning 1";
            case "malloc-info" -> mallocInfo = need(kv, "status");
            case "paused" -> pausedRound = (int) number(kv, "k");
            case "resumed" -> resumedRssKb = number(kv, "rss_kb");
            case "done" -> done(kv);
            default -> throw bad("unexpected output: " + abbreviate(line));
        }
    }

    private Map<String, String> fields(String[] f, String line) throws BadOutputException {
        Map<String, String> kv = new HashMap<>();
        for (int i = 1; i < f.length; i++) {
            int eq = f[i].indexOf('=');
            if (eq <= 0) {
                throw bad("unexpected output: " + abbreviate(line));
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

    private void round(Map<String, String> kv) throws BadOutputException {
        if (start == null) {
            throw bad("'round' before the base reading");
        }
        int k = (int) number(kv, "k");
        if (k != nextRound || k > spec.scenario().lastRound()) {
            throw bad("round " + k + " where round " + nextRound + " was due");
        }
        RoundDetail detail = detail(kv);
        listener.round(start, new Round(k, number(kv, "bytes") / 1024, number(kv, "rss_after_alloc_kb"),
                number(kv, "rss_after_free_kb"), detail));
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
        if (mallocFailure != null) {
            throw new BadOutputException(mallocFailure);
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

    /** The round after which the child paused for the parent, or null. */
    public Integer pausedRound() {
        return pausedRound;
    }

    /** VmRSS once the parent had acted during the pause, or null. */
    public Long resumedRssKb() {
        return resumedRssKb;
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
