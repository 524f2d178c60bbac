package io.rsslab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.data.Text;
import io.rsslab.launch.RecordLauncher;
import io.rsslab.report.RecordSummary;
import io.rsslab.trace.Stacks;
import io.rsslab.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab record --out TRACE -- COMMAND: every malloc-family call of a program, in call order, with its thread. */
@Command(name = "record", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run your command (after --, without a shell) with rsslab's recorder preloaded and write every "
                + "malloc, free, calloc, realloc, memalign, posix_memalign, aligned_alloc, valloc and pvalloc it made, "
                + "with its thread and order, to TRACE. A forked child or an exec'd program is recorded into its own "
                + "file beside TRACE (TRACE.PID.IMAGE).")
public final class RecordCommand implements Callable<Integer> {

    /** none, large or all; anything else one line and exit 2, as picocli reports a bad value. */
    static final class StacksConverter implements picocli.CommandLine.ITypeConverter<Stacks> {
        @Override
        public Stacks convert(String value) {
            for (Stacks s : Stacks.values()) {
                if (s.value().equals(value)) {
                    return s;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + Text.printable(value)
                    + "' is not none, large or all");
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "TRACE", required = true, description = "The trace file (never overwritten).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing TRACE (and its TRACE.PID.IMAGE files) once the "
            + "new ones are complete.")
    boolean overwrite;

    @Option(names = "--stacks", paramLabel = "none|large|all", converter = StacksConverter.class,
            description = "The call sites to record: none; large (the default: requests of 128 KiB or more and every "
                    + "free of an mmapped block, the ones that raise the dynamic threshold, at little cost); all "
                    + "(every call: which allocations pin free memory; slower, see docs/performance.md).")
    Stacks stacks = Stacks.LARGE;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its arguments, after --.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (command.isEmpty()) {
            throw new UserError("give the command to record after --, e.g. rsslab record --out app.trace -- ./app");
        }
        if (out.toString().endsWith("/")) {
            throw new UserError("--out " + Text.printable(out.toString()) + ": give a file name, not a folder");
        }
        OutputTarget.checkCreatable(out, overwrite);
        PrintWriter o = spec.commandLine().getOut();
        RecordLauncher.launch(new RecordLauncher.Settings(List.copyOf(command), out, overwrite, stacks),
                new RecordLauncher.Observer() {
                    @Override
                    public void exited(int status) {
                        RecordSummary.status(String.join(" ", command), status, o);
                    }

                    @Override
                    public void wrote(List<TraceWriter.Written> written) {
                        RecordSummary.print(written, out.getFileName().toString(), o, spec.commandLine().getErr());
                    }
                });
        return 0;
    }
}
