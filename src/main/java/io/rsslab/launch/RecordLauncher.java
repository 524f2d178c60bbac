package io.rsslab.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import io.rsslab.data.Folders;
import io.rsslab.data.Text;
import io.rsslab.fork.Recorder;
import io.rsslab.machine.MachineFacts;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceWriter;

/**
 * rsslab record: the user's command with the recorder preloaded, its raw
 * files in a private temporary folder, merged into trace files by
 * trace.TraceWriter, the folder removed whatever happens.
 */
public final class RecordLauncher {

    static final String LIBRARY = "librsslab-record.so";

    /** What the command line chose, checked there: the command, the trace file, --overwrite. */
    public record Settings(List<String> command, Path out, boolean overwrite) {
    }

    /** The recorded program's exit status, printed before its traces are written. */
    public interface Observer {
        void exited(int status);
    }

    private RecordLauncher() {
    }

    /** The traces written, the recorded program's first. */
    public static List<TraceWriter.Written> launch(Settings s, Observer observer) throws IOException,
            InterruptedException {
        Path lib = NativeLoader.unpack(LIBRARY);
        Path dir = Files.createTempDirectory("rsslab-record-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            String started = Instant.now().toString();
            Recorder.Recording rec;
            try {
                rec = Recorder.run(s.command(), lib, dir);
            } catch (IOException e) {
                throw new LaunchError("cannot run " + Text.printable(s.command().get(0)) + ": " + e.getMessage());
            }
            List<TraceWriter.Image> images = TraceWriter.images(dir);
            TraceWriter.Image top = TraceWriter.top(images, rec.pid());
            if (top == null) {
                throw new LaunchError(Text.printable(s.command().get(0)) + " ran without the recorder (exit status "
                        + rec.status() + "): a static program, or one that clears LD_PRELOAD, cannot be recorded");
            }
            observer.exited(rec.status());
            try {
                return TraceWriter.writeAll(images, top, s.out(), new TraceWriter.Recording(MachineFacts.glibcVersion(),
                        Text.printable(String.join(" ", s.command())), started), s.overwrite());
            } catch (TraceWriter.Exists | TraceException e) {
                throw new LaunchError(e.getMessage());
            } catch (IOException e) {
                throw new OutputError(e.getMessage(), e);
            }
        } finally {
            try {
                Folders.deleteTree(dir);
            } catch (IOException e) {
                // A temporary folder of rsslab's own: the system cleans it in the end.
            }
        }
    }
}
