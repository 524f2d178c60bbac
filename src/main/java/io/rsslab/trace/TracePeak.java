package io.rsslab.trace;

import java.nio.file.Path;

/**
 * What a trace's calls themselves say, read through once (bounded memory: 16
 * bytes a live block): the peak of live bytes requested, which the memory
 * guard must use rather than the peak the END record declares (a damaged or
 * hand-made trace can declare 1 MiB and malloc 8 GiB), and the program's own
 * VmRSS where the recorder sampled it (trace version 2). A trace that is
 * cut short or damaged is refused with the record's number: a replay would
 * stop there too (src/main/c/replay.c, check_trace).
 *
 * @param calls           the records before END but the RSS samples (thread ends included): what the replayer
 *                        counts as calls
 * @param peakLiveBytes   the most bytes requested and not yet freed, at any call
 * @param declaredPeakBytes the peak END declares (the recorder's own count; differs only in a damaged trace)
 * @param programPeakRssKb the program's largest sampled VmRSS, -1 when the trace has no samples
 * @param programFinalRssKb its last sample (taken at exit when the program ended through exit()), or -1
 */
public record TracePeak(long calls, long peakLiveBytes, long declaredPeakBytes, long programPeakRssKb,
        long programFinalRssKb) {

    /** Reads every record of file; TraceException (one line, the record's number) when it is not whole. */
    public static TracePeak of(Path file) {
        LiveBytes live = new LiveBytes();
        long peakRss = -1;
        long lastRss = -1;
        long samples = 0;
        try (TraceFile.Reader r = new TraceFile.Reader(file)) {
            for (TraceEvent e = r.next(); e != null; e = r.next()) {
                live.add(e);
                if (e.operation() != null && !e.operation().isCall()) {
                    samples++;
                }
                if (e.operation() == TraceOp.RSS) {
                    lastRss = e.size() / 1024;
                    peakRss = Math.max(peakRss, lastRss);
                }
            }
            if (r.end() == null) {
                throw new TraceException(file + ": record " + (r.index() + 1) + ": the trace ends "
                        + (r.cutBytes() > 0 ? "inside this record" : "before its END record") + " (cut short)");
            }
            return new TracePeak(r.index() - 1 - samples, live.peak(), r.end().ptr(), peakRss, lastRss);
        }
    }

    /** The peak in whole MiB, rounded up. */
    public long peakLiveMib() {
        return (peakLiveBytes + (1 << 20) - 1) >> 20;
    }
}
