package io.rsslab.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.rsslab.data.Text;
import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.launch.TryLauncher;
import io.rsslab.nativelib.Platform;
import io.rsslab.plan.PlanBuilder;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import io.rsslab.report.FolderReport;
import io.rsslab.report.InspectReport;
import io.rsslab.report.TryTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab try -- COMMAND: the user's own program under each variant, its process tree's RSS over time. */
@Command(name = "try", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run your own command (after --, without a shell) under each variant, sample the RSS of its "
                + "whole process tree over time, and compare what each variant keeps and costs.")
public final class TryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--variant", paramLabel = "V", split = ",",
            description = "Catalog variant(s) (see: rsslab variants); default baseline unless one is composed.")
    List<String> variants = new ArrayList<>();

    @Mixin
    VariantOptions compose;

    @Option(names = "--repeat", paramLabel = "N", description = "Run each variant N times (default 1).")
    int repeat = 1;

    @Option(names = "--interval", paramLabel = "MS", description = "Sample every MS milliseconds (default 100).")
    int interval = 100;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop the command after this long (SIGTERM, SIGKILL 3 s later): a program that never ends.")
    Integer duration;

    @Option(names = "--peak", paramLabel = "SIZE",
            description = "The command's peak memory, e.g. 512M or 2G: the memory guard and --jobs use it.")
    String peak;

    @Option(names = "--inspect-at", paramLabel = "SECONDS",
            description = "Run rsslab inspect on the command that long after its start; its JSON is kept beside the run.")
    Double inspectAt;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Runs at once, at most (default 1); with --peak, no more than memory allows.")
    Integer jobs;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Results folder to create (default: results/<timestamp>/); never an existing one.")
    Path out;

    @Option(names = "--quiet", description = "No progress lines.")
    boolean quiet;

    @Option(names = "--force", description = "Run even what cannot fit in the machine's memory (see the memory guard).")
    boolean force;

    /** Taken only to refuse them with what try does instead; --help does not list them. */
    @Option(names = "--timeout", hidden = true)
    Integer timeout;

    @Option(names = "--overwrite", hidden = true)
    boolean overwrite;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its arguments, after --.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        if (overwrite) {
            throw new UserError("--overwrite: try always makes a new results folder");
        }
        if (timeout != null) {
            throw new UserError("--timeout: with try, --duration SECONDS stops the command (and says so in its row)");
        }
        if (command.isEmpty()) {
            throw new UserError("give the command to try after --, e.g. rsslab try -- python3 app.py");
        }
        requireExecutable(command.get(0));
        if (repeat < 1 || repeat > 100) {
            throw new UserError("--repeat " + repeat + " is out of range (1 to 100)");
        }
        if (interval < 10 || interval > 60_000) {
            throw new UserError("--interval " + interval + " is out of range (10 to 60000 ms)");
        }
        if (duration != null && (duration < 1 || duration > 86_400)) {
            throw new UserError("--duration " + duration + " is out of range (1 to 86400 seconds)");
        }
        if (inspectAt != null && !(inspectAt >= 0 && inspectAt <= 86_400)) {
            throw new UserError("--inspect-at " + inspectAt + " is out of range (0 to 86400 seconds)");
        }
        if (jobs != null && (jobs < 1 || jobs > 64)) {
            throw new UserError("--jobs " + jobs + " is out of range (1 to 64)");
        }
        List<Variant> vs = PlanBuilder.variants(VariantCatalog.load(), variants, compose.composed(), null);
        TryLauncher.Settings settings = new TryLauncher.Settings(List.copyOf(command), vs, repeat,
                Duration.ofMillis(interval), duration == null ? null : Duration.ofSeconds(duration),
                peak == null ? null : sizeKb(peak), jobs, force, out, Invocation.origin(),
                inspectAt == null ? null : new TryLauncher.InspectAt(inspectAt, TryCommand::inspect));
        PrintWriter err = spec.commandLine().getErr();
        TryLauncher.Outcome o = TryLauncher.launch(settings, quiet ? TryLauncher.Observer.NONE
                : TryTable.progress(err));
        PrintWriter out = spec.commandLine().getOut();
        TryTable.print(o.runs(), out);
        TryTable.jvmNotes(o.runs(), out);
        TryTable.inspectNotes(o.runs(), out);
        FolderReport.close(o.folder(), out, err);
        return FolderReport.failures(o.failed(), o.runs().size(), err) ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }

    /** rsslab inspect at --inspect-at: its JSON beside the run; the file's name, or why there is none. */
    private static String inspect(Path folder, String runId, long pid) {
        String name = runId + ".inspect.json";
        try {
            Files.writeString(folder.resolve(name), InspectReport.json(Inspector.inspect(pid, false)) + "\n");
            return name;
        } catch (InspectException e) {
            return "not inspected: " + e.getMessage();
        } catch (IOException e) {
            return "not written: " + e.getMessage();
        }
    }

    /** "512M", "2G", "300000K", "4096" (bytes) -> kB. */
    static long sizeKb(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = t.endsWith("K") ? 1 : t.endsWith("M") ? 1024 : 1024 * 1024;
            t = t.substring(0, t.length() - 1);
        } else {
            unit = -1;
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return unit < 0 ? Math.max(1, v / 1024) : v * unit;
        } catch (NumberFormatException e) {
            throw new UserError("--peak " + s + " is not a size (e.g. 512M, 2G)");
        }
    }

    /** As execvp looks for it: a path, or a name on PATH; executable, not a folder. */
    private static void requireExecutable(String name) {
        List<Path> candidates = new ArrayList<>();
        if (name.contains("/")) {
            candidates.add(Path.of(name));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                candidates.add(Path.of(dir.isEmpty() ? "." : dir, name));
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return;
            }
        }
        boolean exists = candidates.stream().anyMatch(Files::exists);
        throw new UserError(Text.printable(name) + (exists ? " is not an executable file"
                : name.contains("/") ? ": no such file" : ": not found on PATH"));
    }
}
