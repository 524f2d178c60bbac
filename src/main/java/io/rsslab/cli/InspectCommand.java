package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.rsslab.inspect.InspectException;
import io.rsslab.inspect.Inspector;
import io.rsslab.inspect.Ledger;
import io.rsslab.nativelib.Platform;
import io.rsslab.report.InspectReport;
import io.rsslab.report.OutputFormat;
import io.rsslab.report.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab inspect PID: where a running process's memory is, and what malloc_trim would give back. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "An exact, read-only ledger of a running process's malloc memory: its regions, each glibc "
                + "arena, what malloc_trim(0) would return now, and what the thread heaps' tops keep.")
public final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process to inspect.")
    String pidText;

    @Option(names = "--format", paramLabel = "table|json|csv", converter = FormatConverter.Inspect.class,
            description = "table (default on a terminal), json (default otherwise), or csv (a row per region and arena).")
    OutputFormat format;

    @Mixin
    FileOutputOptions output;

    @Option(names = "--stop", description = "Freeze the process (SIGSTOP) for an exact snapshot; it is always let go "
            + "again (SIGCONT), and the time it stood still is printed.")
    boolean stop;

    @Option(names = "--jcmd-trim", description = "A JVM: after the ledger, run jcmd PID System.trim_native_heap and "
            + "print the prediction beside what the JVM reported and the VmRSS change.")
    boolean jcmdTrim;

    @Override
    public Integer call() throws IOException {
        Platform.requireSupported();
        long pid = pid();
        Path out = output.file();
        boolean overwrite = output.overwrite;
        OutputFormat fmt = OutputFormat.choose(format, out == null && Terminal.stdout(), OutputFormat.JSON);
        if (out != null) {
            OutputTarget.checkCreatable(out, overwrite);
        }
        Ledger ledger;
        try {
            ledger = Inspector.inspect(pid, stop);
        } catch (InspectException e) {
            throw new UserError(e.getMessage());
        }
        if (jcmdTrim && !ledger.context().jvm()) {
            throw new UserError("--jcmd-trim: process " + pid + " is not a JVM (no libjvm.so in its maps)");
        }
        try (OutputTarget target = out == null ? OutputTarget.stdout(spec.commandLine().getOut())
                : OutputTarget.newFile(out, overwrite)) {
            PrintWriter w = target.writer();
            switch (fmt) {
                case JSON -> w.println(InspectReport.json(ledger));
                case CSV -> InspectReport.csv(ledger, w);
                default -> InspectReport.table(ledger, w);
            }
            if (jcmdTrim) {
                jcmd(ledger, fmt == OutputFormat.TABLE ? w : spec.commandLine().getErr());
            }
            target.commit();
        }
        return ExitCodes.OK;
    }

    private long pid() {
        return Pids.parse(pidText, 1);
    }

    /** jcmd's trim, beside the prediction and the VmRSS change it made. */
    private static void jcmd(Ledger ledger, PrintWriter w) {
        try {
            long before = Inspector.vmRssKb(ledger.pid());
            String said = Inspector.jcmdTrim(ledger.pid());
            long after = Inspector.vmRssKb(ledger.pid());
            w.printf(Locale.ROOT, "jcmd %d System.trim_native_heap: %s%n", ledger.pid(), said);
            w.printf(Locale.ROOT, "VmRSS %.1f -> %.1f MiB (%+.1f MiB); inspect predicted -%.1f MiB%n", before / 1024.0,
                    after / 1024.0, (after - before) / 1024.0,
                    ledger.heaps().map(Ledger.Heaps::trimReleasableKb).orElse(0L) / 1024.0);
            w.flush();
        } catch (InspectException e) {
            throw new UserError(e.getMessage());
        }
    }
}
