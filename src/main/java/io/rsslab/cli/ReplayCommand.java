package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.data.Text;
import io.rsslab.fork.ReplayArgs;
import io.rsslab.launch.ReplayLauncher;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.Host;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.FolderReport;
import io.rsslab.report.OutputFormat;
import io.rsslab.report.ReplayTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab replay TRACE: a recorded program's malloc calls made again under each variant, in a child each. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replay a trace from rsslab record under each variant: every call in its recorded order, one "
                + "thread per recorded thread, every page of each block written; sample VmRSS, the live bytes the "
                + "program had requested and malloc's counters; say what stays above the live blocks and why.")
public final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "A trace written by rsslab record.")
    Path trace;

    @Option(names = "--variant", completionCandidates = CatalogNames.Variants.class, paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless one is composed.")
    List<String> variants = new ArrayList<>();

    @Mixin
    VariantOptions compose;

    @Option(names = "--host", paramLabel = "HOST", converter = HostConverter.class,
            description = "native (recorded thread 0 on the main thread, default) or thread (on a new thread).")
    Host host = Host.NATIVE;

    @Option(names = "--threads", paramLabel = "recorded|1",
            description = "One thread per recorded thread (recorded, default), or every call on one thread (1).")
    String threads = "recorded";

    @Option(names = "--sample-every", paramLabel = "N",
            description = "Sample every N calls (default: the trace's calls / 200, at least 1).")
    Long sampleEvery;

    @Option(names = "--timing", paramLabel = "auto|recorded|back-to-back",
            description = "recorded: the program's idle gaps slept (time-driven allocators such as jemalloc return "
                    + "memory by time); back-to-back: every call at once; auto (default): recorded under a "
                    + "preloaded allocator, back-to-back under glibc's malloc, which does nothing by time.")
    String timing = "auto";

    @Option(names = "--speed", paramLabel = "X",
            description = "With the recorded timing: X times the program's speed (default 1; 10 sleeps a tenth).")
    Double speed;

    @Option(names = "--repeat", paramLabel = "N", description = "Replay under each variant N times (default 1).")
    int repeat = 1;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table (default) or csv (runs.csv on stdout).")
    String format = "table";

    @Option(names = "--out", paramLabel = "DIR", description = "The results folder (new; default results/<time>).")
    Path out;

    @Option(names = "--force", description = "Replay even when the trace's peak of live bytes, computed from its "
            + "calls, does not fit in what this machine can give.")
    boolean force;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        OutputFormat[] formats = {OutputFormat.TABLE, OutputFormat.CSV};
        OutputFormat fmt = OutputFormat.parse(format, formats);
        if (fmt == null) {
            throw new UserError("--format " + Text.printable(format) + ": " + OutputFormat.names(formats));
        }
        if (!threads.equals("recorded") && !threads.equals("1")) {
            throw new UserError("--threads " + Text.printable(threads) + ": recorded or 1");
        }
        if (host == Host.JVM) {
            throw new UserError("--host jvm: a trace replays in the probe (native) or on a new thread (thread)");
        }
        ReplayLauncher.Timing clock = switch (timing) {
            case "auto" -> ReplayLauncher.Timing.AUTO;
            case "recorded" -> ReplayLauncher.Timing.RECORDED;
            case "back-to-back" -> ReplayLauncher.Timing.BACK_TO_BACK;
            default -> throw new UserError("--timing " + Text.printable(timing) + ": auto, recorded or back-to-back");
        };
        if (speed != null && (clock == ReplayLauncher.Timing.BACK_TO_BACK
                || !(speed >= ReplayArgs.MIN_SPEED && speed <= ReplayArgs.MAX_SPEED))) {
            throw new UserError("--speed " + speed + ": a number from 0.001 to 1000000, with --timing recorded or "
                    + "auto");
        }
        if (repeat < 1 || repeat > 100) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 100)");
        }
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), null);
        PrintWriter err = spec.commandLine().getErr();
        ReplayLauncher.Outcome o = ReplayLauncher.launch(new ReplayLauncher.Settings(trace, vs, host,
                threads.equals("1"), sampleEvery, repeat, out, Invocation.origin(), clock, speed == null ? 1 : speed,
                force),
                quiet ? ReplayLauncher.Observer.NONE : ReplayTable.progress(err));
        PrintWriter stdout = spec.commandLine().getOut();
        if (fmt == OutputFormat.CSV) {
            ReplayTable.csv(o.runs(), stdout);
            // The CSV alone on stdout: the folder and the report are named on stderr.
            FolderReport.close(o.folder(), err, err);
        } else {
            ReplayTable.print(trace.toString(), o.shape(), o.runs(), stdout);
            ReplayTable.callSites(o.pins(), o.raises(), stdout);
            FolderReport.close(o.folder(), stdout, err);
        }
        return FolderReport.failures(o.failed(), o.runs().size(), err) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }
}
