package io.rsslab.scenarios;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildRunner;
import io.rsslab.plan.EnvPair;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunIds;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.run.ChildResult;
import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/** Runs one scenario in a real child, as the run command does, and keeps what it reported. */
final class ChildRuns {

    /** The article's pair of variables (example 3). */
    static final List<EnvPair> ARTICLE_PAIR = List.of(
            new EnvPair("MALLOC_TRIM_THRESHOLD_", "131072"), new EnvPair("MALLOC_MMAP_THRESHOLD_", "131072"));

    record Measured(RunStart start, List<Round> rounds, ChildResult result) {
        long retainedKb(Round r) {
            return r.retainedKb(start);
        }

        String describe() {
            StringBuilder b = new StringBuilder("glibc " + start.glibcVersion() + ", base " + start.rssBeforeKb()
                    + " KB; round: allocated/after alloc/after free KB:");
            rounds.forEach(r -> b.append(String.format(" %d: %d/%d/%d", r.round(), r.allocatedKb(),
                    r.rssAfterAllocKb(), r.rssAfterFreeKb())));
            return b.toString();
        }
    }

    private ChildRuns() {
    }

    static Scenario scenario(String name) {
        return ScenarioCatalog.load().find(name).orElseThrow();
    }

    static Measured run(String scenario, Host host, List<EnvPair> env, boolean trim) throws IOException {
        return run(scenario, host, Variant.of(env, trim), ChildOptions.DEFAULT);
    }

    static Measured run(String scenario, Host host, Variant variant, ChildOptions options) throws IOException {
        Scenario s = scenario(scenario);
        RunSpec spec = new RunSpec(RunIds.next(s, host), s, host, variant, 1, false);
        List<Round> rounds = new ArrayList<>();
        RunStart[] start = new RunStart[1];
        RunListener listener = new RunListener() {
            @Override
            public void started(RunStart st) {
                start[0] = st;
            }

            @Override
            public void round(RunStart st, Round round) {
                rounds.add(round);
            }
        };
        // Every JNI call of the child JVM is checked too.
        ChildResult result = new ChildRunner(List.of("-Xcheck:jni")).run(spec, listener, options);
        if (!result.ok()) {
            throw new AssertionError("run failed: " + result.failure() + "\n" + String.join("\n", result.stderrTail()));
        }
        return new Measured(start[0], rounds, result);
    }
}
