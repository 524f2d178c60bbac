package io.rsslab.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import io.rsslab.launch.RunObserver;
import io.rsslab.plan.RunSpec;
import io.rsslab.results.RunSummary;
import io.rsslab.run.ChildResult;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** How a multi-run command shows its progress on stderr. */
public interface Progress extends RunObserver, AutoCloseable {

    @Override
    void close();

    /** A bar on a terminal, one line per run otherwise, nothing when quiet. */
    static Progress choose(boolean quiet, boolean terminal, int total, PrintStream err) {
        if (quiet) {
            return new Quiet();
        }
        return terminal ? new Bar(total, err) : new Lines(total, err);
    }

    /** One line per run, as it finishes. */
    static String line(int done, int total, RunSpec spec, ChildResult result, RunSummary summary) {
        String outcome = result.ok()
                ? String.format(Locale.ROOT, "ok, %.1f MiB kept at the end", summary.steadyRetainedKb() / 1024.0)
                : "FAILED: " + result.failure();
        return String.format(Locale.ROOT, "[%d/%d] %s %s %s repeat %d: %s (%.1f s)", done, total,
                spec.scenario().name(), spec.host().label(), spec.variant().name(), spec.repeat(), outcome,
                result.wallSeconds());
    }

    /** Silent. */
    final class Quiet implements Progress {
        @Override
        public void started(RunSpec spec) {
        }

        @Override
        public void finished(RunSpec spec, ChildResult result, RunSummary summary) {
        }

        @Override
        public void close() {
        }
    }

    /** Plain lines for logs and pipes. */
    final class Lines implements Progress {
        private final int total;
        private final PrintStream err;
        private int done;

        Lines(int total, PrintStream err) {
            this.total = total;
            this.err = err;
        }

        @Override
        public void started(RunSpec spec) {
        }

        @Override
        public synchronized void finished(RunSpec spec, ChildResult result, RunSummary summary) {
            done++;
            err.println(line(done, total, spec, result, summary));
            err.flush();
        }

        @Override
        public void close() {
        }
    }

    /** A progress bar: runs done/total, ETA, and the runs in flight. */
    final class Bar implements Progress {
        private final ProgressBar bar;
        private final PrintStream err;
        private final java.util.Set<String> inFlight = new java.util.LinkedHashSet<>();
        private int done;
        private final int total;

        Bar(int total, PrintStream err) {
            this.total = total;
            this.err = err;
            this.bar = new ProgressBarBuilder().setTaskName("runs").setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setEtaFunction(state -> java.util.Optional.ofNullable(eta(state.getCurrent(), state.getMax(),
                            state.getTotalElapsed())))
                    .setConsumer(new ConsoleProgressBarConsumer(err)).build();
        }

        private static Duration eta(long current, long max, Duration elapsed) {
            return current == 0 ? null : elapsed.multipliedBy(max - current).dividedBy(current);
        }

        @Override
        public synchronized void started(RunSpec spec) {
            inFlight.add(label(spec));
            bar.setExtraMessage(String.join(", ", inFlight));
        }

        @Override
        public synchronized void finished(RunSpec spec, ChildResult result, RunSummary summary) {
            done++;
            inFlight.remove(label(spec));
            bar.setExtraMessage(String.join(", ", inFlight));
            bar.step();
            if (!result.ok()) {
                // A failure stays visible above the bar.
                bar.pause();
                err.println();
                err.println(line(done, total, spec, result, summary));
                bar.resume();
            }
        }

        private static String label(RunSpec spec) {
            return spec.scenario().name() + "/" + spec.host().label() + "/" + spec.variant().name()
                    + (spec.repeat() > 1 ? "#" + spec.repeat() : "");
        }

        @Override
        public void close() {
            bar.close();
        }
    }
}
