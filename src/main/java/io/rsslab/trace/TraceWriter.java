package io.rsslab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace files of one recording: each process image's raw file (the
 * recorder's PID.IMAGE.raw) merged into a trace file with its header, the
 * top program's at the path given, the others beside it as PATH.PID.IMAGE.
 * A file is written beside its target and linked into place, so an existing
 * trace is replaced (with overwrite) only by a complete one; the old trace's
 * other images that were not written again are then removed.
 */
public final class TraceWriter {

    private static final Pattern RAW = Pattern.compile("(\\d+)\\.(\\d+)\\.raw");

    /** One process image's raw file. */
    public record Image(Path raw, long pid, int image) {
    }

    /** A trace written: where, what the merge counted, its raw file's facts; top: the recorded program's own. */
    public record Written(Path target, TraceFile.Summary summary, RawTrace raw, boolean top) {
    }

    /** A trace file that exists and may not be replaced. */
    public static final class Exists extends Exception {
        private static final long serialVersionUID = 1L;

        Exists(String message) {
            super(message);
        }
    }

    /** The facts every header holds beside the raw file's own: glibc, the command, when recording started. */
    public record Recording(String glibc, String command, String started, Stacks stacks) {
        public Recording(String glibc, String command, String started) {
            this(glibc, command, started, Stacks.NONE);
        }
    }

    private TraceWriter() {
    }

    /** The raw files in dir, by pid then image. */
    public static List<Image> images(Path dir) throws IOException {
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

    /** The recorded program's last image: its pid's highest (it may have exec'd); null: it ran without the recorder. */
    public static Image top(List<Image> images, long pid) {
        return images.stream().filter(i -> i.pid() == pid).max(Comparator.comparingInt(Image::image)).orElse(null);
    }

    /**
     * Each image into its trace file (another image that made no call is not written); the top's at out.
     * IOException: a write failed (its message names the file), nothing of that file is left.
     */
    public static List<Written> writeAll(List<Image> images, Image top, Path out, Recording rec, boolean overwrite)
            throws IOException, TraceException, Exists {
        List<Written> written = new ArrayList<>();
        for (Image i : images) {
            RawTrace raw = RawTrace.open(i.raw());
            if (i != top && raw.records() == 0) {
                continue;
            }
            Path target = i == top ? out : out.resolveSibling(out.getFileName() + "." + i.pid() + "." + i.image());
            try {
                written.add(new Written(target, write(raw, header(raw, i, rec), target, overwrite), raw, i == top));
            } catch (IOException e) {
                throw new IOException("cannot write " + target + ": " + e.getMessage() + " (nothing written)", e);
            }
        }
        if (overwrite) {
            removeStale(out, written);
        }
        return written;
    }

    /**
     * With --overwrite, the old trace's other images (PATH.PID.IMAGE trace files) that this recording did
     * not write again: left beside the new trace they would read as part of it. Only trace files go.
     */
    private static void removeStale(Path out, List<Written> written) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        Pattern other = Pattern.compile(Pattern.quote(out.getFileName().toString()) + "\\.\\d+\\.\\d+");
        List<Path> keep = written.stream().map(w -> w.target().toAbsolutePath()).toList();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(parent)) {
            for (Path f : files) {
                if (other.matcher(f.getFileName().toString()).matches() && !keep.contains(f.toAbsolutePath())
                        && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && isTrace(f)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static boolean isTrace(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return Arrays.equals(in.readNBytes(TraceFile.MAGIC.length), TraceFile.MAGIC);
        }
    }

    /** The header's keys, in the order readers show them. */
    static Map<String, String> header(RawTrace raw, Image i, Recording rec) {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", "rsslab-trace " + TraceFile.VERSION);
        header.put("glibc", rec.glibc());
        header.put("command", rec.command());
        header.put("start", Instant.ofEpochSecond(0, raw.startRealtimeNs()).toString());
        header.put("recorded", rec.started());
        header.put("pid", Long.toString(i.pid()));
        header.put("image", Integer.toString(i.image()));
        header.put("parent_pid", Integer.toString(raw.parentPid()));
        header.put("forked", Boolean.toString(raw.forked()));
        header.put("record_bytes", Integer.toString(TraceEvent.BYTES));
        header.put("time_resolution_ns", Long.toString(raw.timeResolutionNs()));
        header.put("stacks", rec.stacks().value());
        header.put("stack_count", Integer.toString(raw.stacks().size()));
        int n = 0;
        for (RawTrace.Image im : raw.images()) {
            header.put("image." + n++, TraceImage.line(im));
        }
        return header;
    }

    private static TraceFile.Summary write(RawTrace raw, Map<String, String> header, Path target, boolean overwrite)
            throws IOException, TraceException, Exists {
        boolean exists = Files.exists(target);
        if (exists && !overwrite) {
            throw new Exists(target + " already exists; rsslab never overwrites results, choose a new name (or "
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
            throw new Exists(e.getFile() + " already exists; rsslab never overwrites results, choose a new name");
        } catch (IOException | TraceException e) {
            try {
                Files.deleteIfExists(pending);
            } catch (IOException ignored) {
                // the first failure is the one to report
            }
            throw e;
        }
    }
}
