package io.rsslab.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildRunner;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.RunSpec;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.TrimLog;
import io.rsslab.results.RunSummary;
import io.rsslab.results.RunsCsv;
import io.rsslab.run.ChildResult;
import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/**
 * Runs one planned run into a results folder: its rounds streamed to
 * rounds.csv as they arrive, then its row in runs.csv. Nothing per round
 * is kept, so the parent's memory does not grow with the plan.
 */
public final class PlanExecution implements Scheduler.Executor<RunSpec> {

    private final ResultsFolder folder;
    private final ChildRunner runner;
    private final Map<String, List<SettingCheck>> mallocSettings;
    private final RunObserver observer;
    private final AtomicInteger failed = new AtomicInteger();
    private final JvmChoice jvm;

    /**
     * The jvm host's JVM (described for runs.csv), the round after which the
     * jvm-jcmd-trim variant pauses (null: each scenario's last), and what
     * rsslab does to the JVM then (jcmd).
     */
    public record JvmChoice(String description, Integer jcmdRound, ChildOptions.PauseAction jcmd) {
    }

    /** mallocSettings: variant name to its judged settings (runs.csv, the threshold inference). */
    public PlanExecution(ResultsFolder folder, ChildRunner runner, Map<String, List<SettingCheck>> mallocSettings,
            RunObserver observer, JvmChoice jvm) {
        this.jvm = jvm;
        this.folder = folder;
        this.runner = runner;
        this.mallocSettings = Map.copyOf(mallocSettings);
        this.observer = observer;
    }

    @Override
    public void execute(RunSpec spec) {
        observer.started(spec);
        RunSummary summary = new RunSummary();
        RunListener listener = new RunListener() {
            @Override
            public void started(RunStart start) {
                summary.started(start);
            }

            @Override
            public void round(RunStart start, Round round) {
                try {
                    folder.rounds().write(spec, start, round);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                summary.round(start, round);
            }
        };
        try {
            List<SettingCheck> checks = mallocSettings.getOrDefault(spec.variant().name(), List.of());
            ChildOptions options = childOptions(spec, checks, jvm.jcmdRound(), jvm.jcmd())
                    .withMallocInfo(folder.dir().resolve(spec.runId() + ".malloc-info.xml"))
                    .withTrimLog(TrimLog.file(folder.dir(), spec.runId()));
            ChildResult result = runner.run(spec, listener, options);
            folder.addRun(RunsCsv.row(spec, result, summary, MallocSettings.summary(checks),
                    spec.host() == Host.JVM ? jvm.description() : "", TrimLog.readOrNull(TrimLog.file(folder.dir(),
                            spec.runId()))));
            if (!result.ok()) {
                failed.incrementAndGet();
            }
            observer.finished(spec, result, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A run's child options: the mmap threshold its variant's settings imply (the parser's inference
     * needs it), and the jcmd pause of the jvm-jcmd-trim variant (jcmdRound null: the scenario's last).
     */
    static ChildOptions childOptions(RunSpec spec, List<SettingCheck> checks, Integer jcmdRound,
            ChildOptions.PauseAction jcmd) {
        ChildOptions options = ChildOptions.DEFAULT.withThreshold(MallocSettings.threshold(checks));
        Integer pause = PlanBuilder.jcmdRound(spec, jcmdRound);
        return pause == null ? options : options.withPause(pause, jcmd);
    }

    public int failedRuns() {
        return failed.get();
    }
}
