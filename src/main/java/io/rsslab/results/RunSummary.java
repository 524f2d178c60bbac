package io.rsslab.results;

import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/**
 * What one run amounts to, accumulated round by round so nothing per round
 * is kept: retained memory in the last round (steady) and at most, the
 * round from which every later round kept memory, and the pause (jcmd) if
 * the run had one.
 */
public final class RunSummary implements RunListener {

    /** A round "keeps memory" when at least this share of what it allocated stays resident. */
    public static final double KEEPS_SHARE = 0.10;

    private RunStart start;
    private int rounds;
    private long steadyRetainedKb;
    private long maxRetainedKb = Long.MIN_VALUE;
    private Integer keepingSince;
    private Round last;
    private Double minMmappedShare;
    private Integer pausedRound;
    private Round.Pause pause;

    /**
     * Does a round that allocated allocatedKb and kept retainedKb keep memory?
     * (A round of a replayed trace may allocate nothing: then 2 MiB, Verdicts.KEPT_KB.)
     */
    public static boolean keepsMemory(long allocatedKb, long retainedKb) {
        return retainedKb >= KEEPS_SHARE * allocatedKb && retainedKb > 0
                && (allocatedKb > 0 || retainedKb >= Verdicts.KEPT_KB);
    }

    @Override
    public void started(RunStart s) {
        start = s;
    }

    @Override
    public void round(RunStart s, Round r) {
        long retained = r.retainedKb(s);
        rounds++;
        last = r;
        if (r.detail() != null && r.detail().afterAlloc() != null && r.allocatedKb() > 0) {
            double share = (double) r.detail().afterAlloc().mmappedKb() / r.allocatedKb();
            minMmappedShare = minMmappedShare == null ? share : Math.min(minMmappedShare, share);
        }
        if (r.pause() != null) {
            pausedRound = r.round();
            pause = r.pause();
        }
        steadyRetainedKb = retained;
        maxRetainedKb = Math.max(maxRetainedKb, retained);
        if (keepsMemory(r.allocatedKb(), retained)) {
            if (keepingSince == null) {
                keepingSince = r.round();
            }
        } else {
            keepingSince = null;
        }
    }

    public RunStart start() {
        return start;
    }

    public int rounds() {
        return rounds;
    }

    public long steadyRetainedKb() {
        return steadyRetainedKb;
    }

    public long maxRetainedKb() {
        return rounds == 0 ? 0 : maxRetainedKb;
    }

    /** The last round seen, or null. */
    public Round lastRound() {
        return last;
    }

    /**
     * The smallest share of a round's allocation that glibc served with mmap
     * (mmapped_after_alloc_kb / allocated_kb), over the rounds; null if not measured.
     */
    public Double minMmappedShare() {
        return minMmappedShare;
    }

    /** The round from which every round kept memory, or null if the last one did not. */
    public Integer keepingSince() {
        return keepingSince;
    }

    /** The round after which the child paused for the parent (jcmd), or null. */
    public Integer pausedRound() {
        return pausedRound;
    }

    /** What the pause did, or null. */
    public Round.Pause pause() {
        return pause;
    }
}
