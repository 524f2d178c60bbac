package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.data.Folders;
import io.rsslab.data.Text;
import io.rsslab.fork.Recorder;
import io.rsslab.launch.OutputError;
import io.rsslab.machine.MachineFacts;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.report.RecordSummary;
import io.rsslab.trace.TraceException;
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

    static final String LIBRARY = "librsslab-record.so";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "TRACE", required = true, description = "The trace file (never overwritten).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing TRACE (and its TRACE.PID.IMAGE files) once the "
            + "new ones are complete.")
    boolean overwrite;

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
        Path lib = NativeLoader.unpack(LIBRARY);
        Path dir = Files.createTempDirectory("rsslab-record-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            String started = Instant.now().toString();
            Recorder.Recording rec;
            try {
                rec = Recorder.run(command, lib, dir);
            } catch (IOException e) {
                throw new UserError("cannot run " + Text.printable(command.get(0)) + ": " + e.getMessage());
            }
            List<TraceWriter.Image> images = TraceWriter.images(dir);
            TraceWriter.Image top = TraceWriter.top(images, rec.pid());
            if (top == null) {
                throw new UserError(Text.printable(command.get(0)) + " ran without the recorder (exit status "
                        + rec.status() + "): a static program, or one that clears LD_PRELOAD, cannot be recorded");
            }
            PrintWriter o = spec.commandLine().getOut();
            RecordSummary.status(String.join(" ", command), rec.status(), o);
            List<TraceWriter.Written> written;
            try {
                written = TraceWriter.writeAll(images, top, out, new TraceWriter.Recording(MachineFacts.glibcVersion(),
                        Text.printable(String.join(" ", command)), started), overwrite);
            } catch (TraceWriter.Exists | TraceException e) {
                throw new UserError(e.getMessage());
            } catch (IOException e) {
                throw new OutputError(e.getMessage(), e);
            }
            RecordSummary.print(written, out.getFileName().toString(), o, spec.commandLine().getErr());
            return 0;
        } finally {
            try {
                Folders.deleteTree(dir);
            } catch (IOException e) {
                // A temporary folder of rsslab's own: the system cleans it in the end.
            }
        }
    }
}
