package io.rsslab.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.rsslab.data.Folders;
import io.rsslab.data.Text;
import io.rsslab.fork.Recorder;
import io.rsslab.machine.MachineFacts;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.trace.RawTrace;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;
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
    private static final Pattern RAW = Pattern.compile("(\\d+)\\.(\\d+)\\.raw");
    /** Other images named one per line on stderr; the rest counted. */
    private static final int SHOWN_OTHERS = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "TRACE", required = true, description = "The trace file (never overwritten).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing TRACE (and its TRACE.PID.IMAGE files) once the "
            + "new ones are complete.")
    boolean overwrite;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its arguments, after --.")
    List<String> command = new ArrayList<>();

    /** One process image's raw file. */
    private record Image(Path raw, long pid, int image) {
    }

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
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter o = spec.commandLine().getOut();
        try {
            String started = Instant.now().toString();
            Recorder.Recording rec;
            try {
                rec = Recorder.run(command, lib, dir);
            } catch (IOException e) {
                throw new UserError("cannot run " + Text.printable(command.get(0)) + ": " + e.getMessage());
            }
            List<Image> images = images(dir);
            Image top = images.stream().filter(i -> i.pid == rec.pid())
                    .max(Comparator.comparingInt(Image::image)).orElse(null);
            if (top == null) {
                throw new UserError(Text.printable(command.get(0)) + " ran without the recorder (exit status "
                        + rec.status() + "): a static program, or one that clears LD_PRELOAD, cannot be recorded");
            }
            o.println(Text.printable(String.join(" ", command)) + ": exit status " + rec.status());
            String glibc = MachineFacts.glibcVersion();
            int others = 0;
            for (Image i : images) {
                RawTrace raw = RawTrace.open(i.raw);
                if (i != top && raw.records() == 0) {
                    continue;
                }
                Path target = i == top ? out : out.resolveSibling(out.getFileName() + "." + i.pid + "." + i.image);
                Map<String, String> header = new LinkedHashMap<>();
                header.put("format", "rsslab-trace " + TraceFile.VERSION);
                header.put("glibc", glibc);
                header.put("command", Text.printable(command.stream().collect(Collectors.joining(" "))));
                header.put("start", Instant.ofEpochSecond(0, raw.startRealtimeNs()).toString());
                header.put("recorded", started);
                header.put("pid", Long.toString(i.pid));
                header.put("image", Integer.toString(i.image));
                header.put("parent_pid", Integer.toString(raw.parentPid()));
                header.put("forked", Boolean.toString(raw.forked()));
                header.put("record_bytes", "48");
                header.put("time_resolution_ns", Long.toString(raw.timeResolutionNs()));
                TraceFile.Summary s = write(raw, header, target);
                if (i == top) {
                    o.println("trace: " + target + describe(s, raw));
                } else if (++others <= SHOWN_OTHERS) {
                    err.println("also recorded: " + target + " (" + (raw.forked() ? "a fork of " + raw.parentPid()
                            : "a program exec'd or started by " + raw.parentPid()) + ")" + describe(s, raw));
                }
            }
            if (others > SHOWN_OTHERS) {
                err.println("and " + (others - SHOWN_OTHERS) + " more: " + others + " other process image(s) recorded "
                        + "beside the trace as " + out.getFileName() + ".PID.IMAGE (a process that called no malloc "
                        + "is not written)");
            }
            o.flush();
            return 0;
        } finally {
            try {
                Folders.deleteTree(dir);
            } catch (IOException e) {
                // A temporary folder of rsslab's own: the system cleans it in the end.
            }
        }
    }

    private static String describe(TraceFile.Summary s, RawTrace raw) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                ": %,d calls, %d thread(s), peak of live bytes requested %.1f MiB, %.3f s",
                s.calls(), s.threads(), s.peakLiveBytes() / 1048576.0, s.lastTimeNs() / 1e9));
        if (s.lost() > 0) {
            b.append("; ").append(s.lost()).append(" call(s) lost (made after the recorder's exit flush or from a "
                    + "signal handler inside it)");
        }
        if (s.cutBytes() > 0) {
            b.append("; the recorder's file ends inside a block (a full disk?): the calls after it are missing");
        } else if (raw.execed()) {
            b.append("; it then exec'd another program (recorded next)");
        } else if (!raw.ended() && !raw.forked()) {
            b.append("; the process did not end through exit() or exec (killed, or _exit): up to 1,364 calls per "
                    + "thread after its last full buffer are missing");
        }
        if (s.unknownFrees() > 0) {
            b.append("; ").append(s.unknownFrees()).append(" free(s) of blocks allocated before the recording began");
        }
        return b.toString();
    }

    private TraceFile.Summary write(RawTrace raw, Map<String, String> header, Path target) {
        boolean exists = Files.exists(target);
        if (exists && !overwrite) {
            throw new UserError(target + " already exists; rsslab never overwrites results, choose a new name (or "
                    + "--overwrite)");
        }
        Path pending = target.resolveSibling(target.getFileName() + ".rsslab-new-" + ProcessHandle.current().pid());
        try {
            TraceFile.Summary s;
            try (OutputStream os = Files.newOutputStream(pending, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                s = TraceFile.write(raw, header, os);
            }
            if (exists) {
                Files.move(pending, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // Never over a file that appeared meanwhile: a link fails if target exists.
                Files.createLink(target, pending);
                Files.delete(pending);
            }
            return s;
        } catch (FileAlreadyExistsException e) {
            throw new UserError(e.getFile() + " already exists; rsslab never overwrites results, choose a new name");
        } catch (IOException e) {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw new OutputError("cannot write " + target + ": " + e.getMessage() + " (nothing written)", e);
        } catch (TraceException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static List<Image> images(Path dir) throws IOException {
        List<Image> images = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Matcher m = RAW.matcher(f.getFileName().toString());
                if (m.matches()) {
                    images.add(new Image(f, Long.parseLong(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
        }
        images.sort(Comparator.comparingLong(Image::pid).thenComparingInt(Image::image));
        return images;
    }

}
