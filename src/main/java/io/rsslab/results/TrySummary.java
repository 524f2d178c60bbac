package io.rsslab.results;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

import io.rsslab.fork.CommandRunner;

/**
 * One try run's samples, accumulated as they come so nothing but the last
 * second is kept: the peak, the time-weighted mean and integral of the
 * tree's RSS (each sample stands until the next), and the samples of the
 * last second, whose median is the final RSS.
 */
public final class TrySummary implements CommandRunner.SampleSink {

    private final Deque<CommandRunner.Sample> lastSecond = new ArrayDeque<>();
    private CommandRunner.Sample previous;
    private long peakKb;
    private double kbSeconds;
    private double seconds;
    private int samples;

    @Override
    public void sample(CommandRunner.Sample s) {
        if (previous != null) {
            double dt = s.seconds() - previous.seconds();
            kbSeconds += previous.rssKb() * dt;
            seconds += dt;
        }
        previous = s;
        samples++;
        peakKb = Math.max(peakKb, s.rssKb());
        lastSecond.addLast(s);
        while (lastSecond.peekFirst().seconds() < s.seconds() - 1.0) {
            lastSecond.removeFirst();
        }
    }

    public int samples() {
        return samples;
    }

    public long peakKb() {
        return peakKb;
    }

    /** The median of the samples of the last second; -1 without samples. */
    public long finalKb() {
        if (lastSecond.isEmpty()) {
            return -1;
        }
        List<Long> v = new ArrayList<>();
        lastSecond.forEach(x -> v.add(x.rssKb()));
        Collections.sort(v);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** The time-weighted mean; the one sample's value if there was only one; -1 without samples. */
    public long meanKb() {
        if (previous == null) {
            return -1;
        }
        return seconds > 0 ? Math.round(kbSeconds / seconds) : previous.rssKb();
    }

    /** "final 12.3 MiB, peak 45.6 MiB", or that the command ended before its memory was sampled once. */
    public String describe() {
        return samples == 0 ? "no sample of its memory (it ended before the first)"
                : String.format(java.util.Locale.ROOT, "final %.1f MiB, peak %.1f MiB", finalKb() / 1024.0,
                        peakKb / 1024.0);
    }

    /** The integral of RSS over the run, MB x s (MB = 1024 kB, as everywhere here). */
    public double mbSeconds() {
        return kbSeconds / 1024.0;
    }
}
