package io.rsslab.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildResult;
import io.rsslab.fork.ChildRunner;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.report.Progress;
import io.rsslab.results.RecordParser;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.Round;
import io.rsslab.results.RunListener;
import io.rsslab.results.RunStart;
import io.rsslab.results.RunsCsv;
import io.rsslab.results.RunSummary;

/**
 * Runs one planned run into a results folder: its rounds streamed to
 * rounds.csv as they arrive, then its row in runs.csv. Nothing per round
 * is kept, so the parent's memory does not grow with the plan.
 */
public final class PlanExecution implements Scheduler.Executor {

    private final ResultsFolder folder;
    private final ChildRunner runner;
    private final Map<String, List<SettingCheck>> mallocSettings;
    private final Progress progress;
    private final AtomicInteger failed = new AtomicInteger();
    private final JvmChoice jvm;

    /**
     * The jvm host's JVM (described for runs.csv), the round after which the
     * jvm-jcmd-trim variant pauses (null: each scenario's last), and its jcmd.
     */
    public record JvmChoice(String description, Integer jcmdRound, ChildOptions.PauseAction jcmd) {
    }

    /** mallocSettings: variant name to its judged settings (runs.csv, the threshold inference). */
    public PlanExecution(ResultsFolder folder, ChildRunner runner, Map<String, List<SettingCheck>> mallocSettings,
            Progress progress, JvmChoice jvm) {
        this.jvm = jvm;
        this.folder = folder;
        this.runner = runner;
        this.mallocSettings = Map.copyOf(mallocSettings);
        this.progress = progress;
    }

    @Override
    public void execute(RunSpec spec) {
        progress.started(spec);
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
            RecordParser parser = new RecordParser(spec, listener, MallocSettings.threshold(checks));
            boolean jcmd = spec.variant().jcmdTrim() && spec.host() == Host.JVM;
            Integer pause = jcmd ? (jvm.jcmdRound() != null ? jvm.jcmdRound() : spec.scenario().lastRound()) : null;
            ChildOptions options = new ChildOptions(true, folder.dir().resolve(spec.runId() + ".malloc-info.xml"),
                    pause, jcmd ? jvm.jcmd() : null);
            ChildResult result = runner.run(spec, parser, options);
            RunsCsv.Extras extras = new RunsCsv.Extras(spec.host() == Host.JVM ? jvm.description() : "",
                    parser.pausedRound(), result.pauseActionOutput(), parser.resumedRssKb());
            folder.runs().write(spec, result, summary, MallocSettings.summary(checks), extras);
            if (!result.ok()) {
                failed.incrementAndGet();
            }
            progress.finished(spec, result, summary);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int failedRuns() {
        return failed.get();
    }
}
