package io.rsslab.launch;

import io.rsslab.plan.RunSpec;
import io.rsslab.results.RunSummary;
import io.rsslab.run.ChildResult;

/** Told as each run starts and ends (the report layer's progress bar is one); closed when all have ended. */
public interface RunObserver extends AutoCloseable {

    /** The observer of a plan of total runs (the command line chooses: a bar, lines, nothing). */
    interface Factory {
        RunObserver open(int total);
    }

    @Override
    default void close() {
    }

    void started(RunSpec spec);

    void finished(RunSpec spec, ChildResult result, RunSummary summary);

    /** Tells nothing. */
    RunObserver NONE = new RunObserver() {
        @Override
        public void started(RunSpec spec) {
        }

        @Override
        public void finished(RunSpec spec, ChildResult result, RunSummary summary) {
        }
    };
}
