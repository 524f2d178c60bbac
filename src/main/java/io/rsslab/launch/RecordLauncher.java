package io.rsslab.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rsslab.data.Folders;
import io.rsslab.data.Text;
import io.rsslab.fork.Recorder;
import io.rsslab.machine.MachineFacts;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.trace.Stacks;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceWriter;

/**
 * rsslab record: the user's command with the recorder preloaded, its raw
 * files in a private temporary folder, merged into trace files by
 * trace.TraceWriter, the folder removed whatever happens.
 */
public final class RecordLauncher {

    static final String LIBRARY = "librsslab-record.so";
    /** How long an interrupted record may take to write what was recorded before the JVM halts. */
    private static final int SHUTDOWN_WAIT_S = 120;

    /** What the command line chose, checked there: the command, the trace file, --overwrite. */
    public record Settings(List<String> command, Path out, boolean overwrite, Stacks stacks) {
        public Settings(List<String> command, Path out, boolean overwrite) {
            this(command, out, overwrite, Stacks.LARGE);
        }
    }

    /**
     * Told of the recorded program's exit status before its traces are written, then of the traces
     * (inside the launch: an interrupted record halts only once they are said).
     */
    public interface Observer {
        void exited(int status);

        void wrote(List<TraceWriter.Written> written);

        Observer NONE = new Observer() {
            @Override
            public void exited(int status) {
            }

            @Override
            public void wrote(List<TraceWriter.Written> written) {
            }
        };
    }

    /** Below this much room the raw folder's file system counts as full. */
    private static final long FULL_KB = 1024;

    private RecordLauncher() {
    }

    /** What the file system under dir has free for rsslab, in kB; -1 when it cannot tell. */
    private static long usableKb(Path dir) {
        try {
            return Files.getFileStore(dir).getUsableSpace() / 1024;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The traces written, the recorded program's first. */
    public static List<TraceWriter.Written> launch(Settings s, Observer observer) throws IOException,
            InterruptedException {
        Path lib = NativeLoader.unpack(LIBRARY);
        // Beside the trace, not in /tmp: raw data goes where the user chose to put the trace, and a
        // recording cut short (kill -9 of rsslab) leaves it there, in one hidden folder, not in /tmp.
        Path dir = Files.createTempDirectory(s.out().toAbsolutePath().getParent(), ".rsslab-record-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        // SIGTERM or Ctrl-C: LiveChildren stops the program, waitFor returns, and this thread writes the
        // trace of what was recorded (said to be cut short: the process did not end through exit()) and
        // removes the raw folder; the JVM only halts once this hook has seen that done.
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                if (!done.await(SHUTDOWN_WAIT_S, TimeUnit.SECONDS)) {
                    System.err.println("rsslab: interrupted: the trace was not written within " + SHUTDOWN_WAIT_S
                            + " s; its raw data is removed");
                    Folders.deleteTree(dir);
                }
            } catch (InterruptedException | IOException e) {
                // halting anyway
            }
        }, "rsslab-record-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
        RuntimeException failure = null;
        try {
            // Asked before the program starts: once rsslab is shutting down (SIGTERM) no other program can be asked.
            String glibc = MachineFacts.glibcVersion();
            String started = Instant.now().toString();
            Recorder.Recording rec;
            try {
                rec = Recorder.run(s.command(), lib, dir, s.stacks());
            } catch (IOException e) {
                throw new LaunchError("cannot run " + Text.printable(s.command().get(0)) + ": " + e.getMessage());
            }
            List<TraceWriter.Image> images = TraceWriter.images(dir);
            TraceWriter.Image top = TraceWriter.top(images, rec.pid());
            if (top == null) {
                // The recorder gives up quietly on a full disk (record_preload.c, write_all), and the reaper
                // cannot write its report there either: that is the cause to name, not a static program.
                long freeKb = usableKb(dir);
                if (freeKb >= 0 && freeKb < FULL_KB) {
                    throw new OutputError("cannot record beside " + s.out() + ": its file system is full ("
                            + freeKb + " kB free; the raw records of " + Text.printable(s.command().get(0))
                            + " did not fit): nothing written", null);
                }
                throw new LaunchError(Text.printable(s.command().get(0)) + " ran without the recorder (exit status "
                        + rec.status() + "): a static program, or one that clears LD_PRELOAD, cannot be recorded");
            }
            observer.exited(rec.status());
            try {
                List<TraceWriter.Written> written = TraceWriter.writeAll(images, top, s.out(),
                        new TraceWriter.Recording(glibc, Text.printable(String.join(" ", s.command())), started,
                                s.stacks()),
                        s.overwrite());
                observer.wrote(written);
                return written;
            } catch (TraceWriter.Exists | TraceException e) {
                throw new LaunchError(e.getMessage());
            } catch (IOException e) {
                throw new OutputError(e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (failure != null && interrupted.get()) {
                // The JVM halts once this launch is done, before the command line could say why: say it here.
                System.err.println("rsslab: interrupted: " + Text.printable(String.valueOf(failure.getMessage()))
                        + " (nothing recorded)");
                System.err.flush();
            }
            try {
                Folders.deleteTree(dir);
            } catch (IOException e) {
                // A hidden folder of rsslab's own beside the trace: nothing of the results is in it.
            }
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs, sees done and returns
            }
        }
    }
}
