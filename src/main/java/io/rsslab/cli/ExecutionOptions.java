package io.rsslab.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import io.rsslab.launch.PlanLauncher;
import io.rsslab.report.Progress;
import io.rsslab.report.Terminal;

/** How a multi-run command runs and where it writes. */
public final class ExecutionOptions {

    @Option(names = "--jobs", paramLabel = "N",
            description = "Children at once, at most (default: the number of cores); memory may allow fewer.")
    Integer jobs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results folder to create (default: results/<timestamp>/); never an existing one.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar or progress lines.")
    boolean quiet;

    @Option(names = "--overwrite",
            description = "Replace an existing --out DIR, if it is a results folder (it holds runs.csv).")
    boolean overwrite;

    @picocli.CommandLine.Mixin
    SafetyOptions safety;

    /** The launch's options, each range-checked. */
    PlanLauncher.Options options() {
        return new PlanLauncher.Options(out, overwrite, jobs(), safety.timeout(), safety.force,
                total -> Progress.choose(quiet, Terminal.stderr(), total, System.err), Invocation.origin());
    }

    int jobs() {
        int n = jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
        if (n < 1 || n > 256) {
            throw new UserError("--jobs " + n + " is out of range (1 to 256)");
        }
        return n;
    }
}
