package io.rsslab.run;

/**
 * One round as measured in the child: the article's k, +KB and the two RSS
 * readings; detail is what the explain fields add (null in seed format);
 * pause is what happened when the child paused after this round's frees
 * for the parent to act (null when it did not); liveAfterFreeKb is what a
 * replayed trace's program still held at the round's end (null for the
 * article's loops, which free everything they allocated in a round).
 */
public record Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb, RoundDetail detail,
        Pause pause, Long liveAfterFreeKb) {

    public Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb, RoundDetail detail,
            Pause pause) {
        this(round, allocatedKb, rssAfterAllocKb, rssAfterFreeKb, detail, pause, null);
    }

    /** The parent's action during the pause (its output) and VmRSS/RssAnon once it was done. */
    public record Pause(String actionOutput, long rssKb, long rssAnonKb) {
    }

    public Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb, RoundDetail detail) {
        this(round, allocatedKb, rssAfterAllocKb, rssAfterFreeKb, detail, null);
    }

    public Round(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb) {
        this(round, allocatedKb, rssAfterAllocKb, rssAfterFreeKb, null, null);
    }

    /** What stays resident after the frees, above the process's own base and what the program still holds. */
    public long retainedKb(RunStart start) {
        return rssAfterFreeKb - start.rssBeforeKb() - (liveAfterFreeKb == null ? 0 : liveAfterFreeKb);
    }
}
