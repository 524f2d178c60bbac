package io.rsslab.results;

import java.nio.file.Path;

import io.rsslab.fork.ReplayOutput;

/**
 * A replay's figures from its samples: peaks, the end, what stays
 * (ReplayOutput.Sample.retainedKb: anonymous RSS above the replayer's base less the live bytes requested, within
 * 0 and what it holds) and why, in the
 * words of the scenarios' verdicts (Verdicts).
 */
public record ReplaySummary(long peakRssKb, long finalRssKb, long peakLiveKb, long finalLiveKb, long peakRetainedKb,
        long finalRetainedKb, String verdict) {

    /** Share of the retained memory that must be in one place to name it. */
    static final double SHARE = 0.50;

    /** threadHost: recorded thread 0 ran on a new thread (a thread arena served it). */
    public static ReplaySummary of(ReplayOutput o, String preload, boolean threadHost) {
        long base = o.base().rssAnonKb();
        long peakRss = 0;
        long peakLive = 0;
        long peakRetained = Long.MIN_VALUE;
        for (ReplayOutput.Sample s : o.samples()) {
            peakRss = Math.max(peakRss, s.rssKb());
            peakLive = Math.max(peakLive, s.liveBytes() / 1024);
            peakRetained = Math.max(peakRetained, s.retainedKb(base));
        }
        ReplayOutput.Sample last = o.last();
        long retained = last.retainedKb(base);
        return new ReplaySummary(peakRss, last.rssKb(), peakLive, last.liveBytes() / 1024, peakRetained, retained,
                verdict(o.base().allocator(), preload, last, retained, threadHost || last.threads() > 1));
    }

    static String verdict(String allocator, String preload, ReplayOutput.Sample last, long retainedKb,
            boolean threadArenas) {
        boolean kept = retainedKb >= Verdicts.KEPT_KB;
        if ("other".equals(allocator)) {
            String name = preload == null ? "another allocator" : Path.of(preload).getFileName().toString();
            return kept ? "retained by another allocator's caching: " + name + " keeps freed memory for reuse"
                    : "memory returned by another allocator (" + name + ")";
        }
        if (!kept) {
            return "memory returned: RSS follows the live blocks";
        }
        if (last.topReleasableKb() >= SHARE * retainedKb) {
            return "freed memory kept at the top of the main heap, below the trim threshold (malloc_trim releases it)";
        }
        if (last.heapFreeKb() >= SHARE * retainedKb) {
            return threadArenas
                    ? "freed memory kept in the arenas' free chunks: below blocks still in use (live, or held by "
                            + "tcache) or at the tops of thread heaps (malloc_trim returns whole free pages in the "
                            + "bins, not the tops of thread heaps)"
                    : "freed memory kept in free chunks below blocks still in use (live, or held by tcache), so "
                            + "the heap cannot shrink (malloc_trim returns their whole free pages)";
        }
        return "RSS above the live blocks that malloc's free counters do not explain: chunk overhead, tcache and "
                + "fastbins (counted as in use), partly used pages";
    }
}
