package io.rsslab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.data.CheckedPrintWriter;

/**
 * Where a command's result goes: standard output, or a new file that is
 * created only if nothing has that name (results are never overwritten).
 * With --overwrite, only a regular file is ever replaced, and only by a
 * complete new one: the output goes to a file beside it until commit().
 * Every write is checked: a failed one throws, it never ends the output short.
 */
final class OutputTarget implements AutoCloseable {

    /** Names the new file beside an old one uniquely within this process too. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final PrintWriter writer;
    private final Path file;
    /** With --overwrite: where the output goes until it is complete, then renamed over file. */
    private final Path pending;

    private OutputTarget(PrintWriter writer, Path file, Path pending) {
        this.writer = writer;
        this.file = file;
        this.pending = pending;
    }

    static OutputTarget stdout(PrintWriter out) {
        return new OutputTarget(out, null, null);
    }

    /** Checks that the file can be created (or, with overwrite, replaced), before any child starts. */
    static void checkCreatable(Path file, boolean overwrite) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new UserError("--out " + file + " already exists; rsslab never overwrites results, choose a new "
                        + "name (or --overwrite to replace a file once the new one is complete)");
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError("--out " + file + " is not a regular file (" + kind(file) + "); --overwrite "
                        + "replaces only a regular file");
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("--out " + file + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("--out " + file + ": folder " + dir + " is not writable");
        }
    }

    private static String kind(Path p) {
        if (Files.isSymbolicLink(p)) {
            return "a symbolic link";
        }
        if (Files.isDirectory(p)) {
            return "a folder";
        }
        return "a device, pipe or socket";
    }

    static OutputTarget newFile(Path file, boolean overwrite) {
        checkCreatable(file, overwrite);
        boolean replace = overwrite && Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        Path target = replace ? file.resolveSibling(file.getFileName() + ".rsslab-new-"
                + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet()) : file;
        try {
            return new OutputTarget(new CheckedPrintWriter(new BufferedWriter(new OutputStreamWriter(
                    Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    StandardCharsets.UTF_8))), file, replace ? target : null);
        } catch (FileAlreadyExistsException e) {
            throw new UserError("--out " + target + " already exists; rsslab never overwrites results, choose a new name");
        } catch (AccessDeniedException e) {
            throw new UserError("--out " + file + " cannot be created: permission denied");
        } catch (NoSuchFileException e) {
            throw new UserError("--out " + file + " cannot be created: no such folder");
        } catch (IOException e) {
            throw new UserError("--out " + file + " cannot be created: " + e.getMessage());
        }
    }

    PrintWriter writer() {
        return writer;
    }

    /** The file, or null for standard output. */
    Path file() {
        return file;
    }

    /**
     * The output is complete: flushed and closed (a failed write throws), and
     * with --overwrite renamed over the old file (never a failed run's).
     */
    void commit() {
        writer.flush();
        if (file == null) {
            return;
        }
        writer.close();
        if (pending == null) {
            return;
        }
        try {
            Files.move(pending, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError("cannot replace " + file + ": " + e.getMessage() + " (the new output is in "
                    + pending + ")");
        }
    }

    /** Where the new output is while the old file is kept (with --overwrite), or null. */
    Path pending() {
        return pending;
    }

    /** Where the output is: the file, the new file beside the kept one, or standard output. */
    String where() {
        return pending != null ? pending.toString() : file != null ? file.toString() : "standard output";
    }

    @Override
    public void close() {
        try {
            if (file != null) {
                writer.close();
            } else {
                writer.flush();
            }
        } catch (UncheckedIOException e) {
            // Reported where the write failed; closing must not hide the first error.
        }
    }
}
