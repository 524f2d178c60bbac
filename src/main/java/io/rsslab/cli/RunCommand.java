package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildRunner;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.launch.OutputError;
import io.rsslab.launch.RunLauncher;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.report.OutputFormat;
import io.rsslab.report.RoundsTable;
import io.rsslab.results.CsvRunListener;
import io.rsslab.results.RoundsCsv;
import io.rsslab.run.ChildResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab run: one scenario in one fresh child, its rounds as a table, CSV or the article's text. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run one scenario in a fresh child process and print its rounds.")
public final class RunCommand implements Callable<Integer> {

    /** Output formats of run. */

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "article-1, article-4, churn, a churn scenario file or trace:FILE (see: rsslab scenarios).")
    String scenarioName;

    @Mixin
    ParamOptions param;

    @Option(names = "--host", paramLabel = "native|thread|jvm", converter = HostConverter.class,
            description = "Where the loop runs: native (rsslab-probe's main thread, the default), thread (a new "
                    + "thread of rsslab-probe) or jvm (a child JVM through JNI).")
    Host host = Host.NATIVE;

    @Option(names = "--variant", paramLabel = "V",
            description = "Start the child as this catalog variant (see: rsslab variants); default baseline.")
    String variantName = "baseline";

    @Mixin
    VariantOptions compose;

    @Mixin
    JvmOptions jvm;

    @Mixin
    JcmdOptions jcmd;

    @Mixin
    SafetyOptions safety;

    @Option(names = "--format", paramLabel = "table|csv|seed", converter = FormatConverter.Run.class,
            description = "table (default on a terminal), csv (default otherwise and with --out), "
                    + "or seed: the article program's own output.")
    OutputFormat format;

    @Mixin
    FileOutputOptions output;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        Scenario scenario = PlanBuilder.scenarios(ScenarioCatalog.load(), List.of(scenarioName), param.single()).get(0);
        jvm.requireJvmHost(host == Host.JVM, "this run");
        Path out = output.file();
        boolean overwrite = output.overwrite;
        JavaRuntime java = host == Host.JVM ? jvm.runtime() : null;
        Variant variant = compose.resolve(variantName, java);
        PlanBuilder.requireHost(variant, host);
        jcmd.requireJcmdVariant(List.of(variant));
        PlanBuilder.checkJcmdRound(jcmd.round, List.of(scenario));
        OutputFormat fmt = effectiveFormat();
        if (fmt == OutputFormat.SEED && variant.jcmdTrim()) {
            throw new UserError("--format seed is the article's program: it cannot pause for jcmd");
        }
        Duration timeout = safety.timeout();
        if (out != null) {
            OutputTarget.checkCreatable(out, overwrite);
        }
        RunLauncher.Prepared prepared = RunLauncher.prepare(scenario, host, variant, fmt == OutputFormat.SEED, java,
                jvm.args(), jcmd.round, timeout, safety.force, spec.commandLine().getErr());
        RunSpec run = prepared.run();
        try (OutputTarget target = out == null ? OutputTarget.stdout(spec.commandLine().getOut())
                : OutputTarget.newFile(out, overwrite)) {
            try {
                ChildResult result = runInto(prepared.runner(), run, fmt, target.writer(), prepared.options());
                if (result.ok()) {
                    target.commit();
                    return ExitCodes.OK;
                }
                target.writer().flush();
                reportFailure(run, result, target);
                return ExitCodes.RUN_FAILED;
            } catch (UncheckedIOException e) {
                throw new OutputError("cannot write " + target.where() + ": " + OutputError.reason(e)
                        + (target.pending() != null ? "; " + target.file() + " was kept as it was" : "")
                        + (target.file() != null ? "; the rounds written before are in " + target.where() : ""), e);
            }
        }
    }

    private OutputFormat effectiveFormat() {
        return OutputFormat.choose(format, !output.given() && System.console() != null, OutputFormat.CSV);
    }

    /** Runs the child into w; a write that fails stops the child and throws UncheckedIOException. */
    private static ChildResult runInto(ChildRunner runner, RunSpec run, OutputFormat fmt, PrintWriter w,
            ChildOptions options) throws IOException {
        switch (fmt) {
            case SEED:
                return runner.runSeed(run, line -> {
                    w.print(line);
                    w.print('\n');
                    w.flush();
                });
            case CSV:
                RoundsCsv csv = new RoundsCsv(w);
                return runner.run(run, new CsvRunListener(csv, run), options);
            default:
                RoundsTable table = new RoundsTable(w, run);
                ChildResult r = runner.run(run, table, options);
                if (r.ok()) {
                    table.finish();
                }
                return r;
        }
    }

    /** One line for the failure, where its rounds are (never contradicting what --overwrite kept), its stderr. */
    private void reportFailure(RunSpec run, ChildResult result, OutputTarget target) {
        PrintWriter err = spec.commandLine().getErr();
        Path out = target.file();
        String where = "";
        if (target.pending() != null) {
            where = "; " + out + " was kept (--overwrite replaces it only after a run that succeeded), "
                    + "the rounds finished before the failure are in " + target.pending();
        } else if (out != null) {
            where = "; the rounds finished before it are in " + out;
        }
        err.println("rsslab: run " + run.runId() + " failed: " + result.failure() + where);
        for (String line : result.stderrTail()) {
            err.println("  stderr| " + line);
        }
        err.flush();
    }
}
