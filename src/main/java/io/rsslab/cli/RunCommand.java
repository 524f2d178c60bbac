package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildResult;
import io.rsslab.fork.ChildRunner;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunIds;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.report.RoundsTable;
import io.rsslab.results.CsvRunListener;
import io.rsslab.results.MmapThreshold;
import io.rsslab.results.RecordParser;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.SeedEcho;
import io.rsslab.results.SeedParser;
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
    public enum Format { TABLE, CSV, SEED }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", description = "article-1 or article-4 (see: rsslab scenarios).")
    String scenarioName;

    @Option(names = "--host", paramLabel = "native|jvm", converter = HostConverter.class,
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

    @Option(names = "--format", paramLabel = "table|csv|seed",
            description = "table (default on a terminal), csv (default otherwise and with --out), "
                    + "or seed: the article program's own output.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE, a new file (never overwritten).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing --out FILE, once the run has succeeded.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        MatrixCommand.requireSupportedPlatform();
        ScenarioCatalog catalog = ScenarioCatalog.load();
        Scenario scenario = catalog.find(scenarioName).orElseThrow(() -> new UserError(
                "unknown scenario '" + scenarioName + "' (known: " + String.join(", ", catalog.names()) + ")"));
        JavaRuntime java = host == Host.JVM ? jvm.runtime() : null;
        Variant variant = variant(java);
        MatrixCommand.checkJcmdRound(jcmd.round, List.of(scenario));
        Format fmt = effectiveFormat();
        if (out != null) {
            OutputTarget.checkCreatable(out, overwrite);
        }
        List<SettingCheck> checks = checkMallocSettings(variant);
        RunSpec planned = new RunSpec("guard", scenario, host, variant, 1, false);
        MemoryGuard.check(List.of(planned), safety.force);
        RunSpec run = new RunSpec(RunIds.next(scenario, host), scenario, host, variant, 1, fmt == Format.SEED);
        ChildRunner runner = (java == null ? new ChildRunner(List.of()) : new ChildRunner(java.java(), jvm.args()))
                .withTimeout(safety.timeout());
        boolean pause = variant.jcmdTrim();
        ChildOptions options = new ChildOptions(true, null,
                pause ? (jcmd.round != null ? jcmd.round : scenario.lastRound()) : null, pause ? new JcmdTrim(java) : null);
        ChildResult result;
        try (OutputTarget target = out == null ? OutputTarget.stdout(spec.commandLine().getOut())
                : OutputTarget.newFile(out, overwrite)) {
            result = runInto(runner, run, fmt, target.writer(), MallocSettings.threshold(checks), options);
            if (result.pauseActionOutput() != null) {
                target.writer().println("jcmd System.trim_native_heap after round " + options.pauseAfterRound()
                        + ": " + result.pauseActionOutput());
            }
            if (result.ok()) {
                target.commit();
            } else if (target.pending() != null) {
                spec.commandLine().getErr().println("rsslab: " + out + " was kept; this failed run's rows are in "
                        + target.pending());
            }
        }
        return report(run, result);
    }

    private Variant variant(JavaRuntime java) {
        Variant v = compose.resolve(variantName, java);
        if (v.jvmOnly() && host != Host.JVM) {
            throw new UserError("variant " + v.name() + " applies to --host jvm only");
        }
        return v;
    }

    /** The malloc settings the child will really get, read back from the loader; flagged ones warned about. */
    private List<SettingCheck> checkMallocSettings(Variant variant) throws IOException {
        List<SettingCheck> checks = MallocSettings.check(variant.env(), LoaderTunables.read(variant.envMap()));
        PlanLauncher.warnAbout(variant, checks, spec.commandLine().getErr());
        return checks;
    }

    private Format effectiveFormat() {
        if (format != null) {
            return format;
        }
        if (out != null) {
            return Format.CSV;
        }
        return System.console() != null ? Format.TABLE : Format.CSV;
    }

    private static ChildResult runInto(ChildRunner runner, RunSpec run, Format fmt, PrintWriter w,
            MmapThreshold threshold, ChildOptions options) throws IOException {
        try {
            switch (fmt) {
                case SEED:
                    if (options.pauseAfterRound() != null) {
                        throw new UserError("--format seed is the article's program: it cannot pause for jcmd");
                    }
                    return runner.run(run, new SeedEcho(new SeedParser(run.scenario(), r -> { }), w));
                case CSV:
                    RoundsCsv csv = new RoundsCsv(w);
                    return runner.run(run, new RecordParser(run, new CsvRunListener(csv, run), threshold), options);
                default:
                    RoundsTable table = new RoundsTable(w, run);
                    ChildResult r = runner.run(run, new RecordParser(run, table, threshold), options);
                    if (r.ok()) {
                        table.finish();
                    }
                    return r;
            }
        } catch (UncheckedIOException e) {
            throw new UserError("cannot write the results: " + e.getCause().getMessage());
        }
    }

    private int report(RunSpec run, ChildResult result) {
        if (result.ok()) {
            return ExitCodes.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("rsslab: run " + run.runId() + " failed: " + result.failure()
                + (out == null ? "" : "; the rounds finished before it are in " + out));
        for (String line : result.stderrTail()) {
            err.println("  stderr| " + line);
        }
        err.flush();
        return ExitCodes.RUN_FAILED;
    }

    /** --host values are the lower-case labels. */
    static final class HostConverter implements picocli.CommandLine.ITypeConverter<Host> {
        @Override
        public Host convert(String value) {
            for (Host h : Host.values()) {
                if (h.label().equals(value)) {
                    return h;
                }
            }
            throw new picocli.CommandLine.TypeConversionException(
                    "'" + value + "' is not a host (expected native, thread or jvm)");
        }
    }
}
