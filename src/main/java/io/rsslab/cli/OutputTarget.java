package io.rsslab.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a command's result goes: standard output, or a new file that is
 * created only if no file has that name (results are never overwritten).
 */
final class OutputTarget implements AutoCloseable {

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
        if (overwrite && Files.isDirectory(file)) {
            throw new UserError("--out " + file + " is a folder, not a file");
        }
        if (Files.exists(file) && !overwrite) {
            throw new UserError("--out " + file + " already exists; rsslab never overwrites results, choose a new name");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("--out " + file + ": folder " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("--out " + file + ": folder " + dir + " is not writable");
        }
    }

    static OutputTarget newFile(Path file, boolean overwrite) {
        checkCreatable(file, overwrite);
        Path target = overwrite ? file.resolveSibling(file.getFileName() + ".rsslab-" + ProcessHandle.current().pid()
                + "-" + System.nanoTime())
                : file;
        try {
            return new OutputTarget(new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                    Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    StandardCharsets.UTF_8))), file, overwrite ? target : null);
        } catch (FileAlreadyExistsException e) {
            throw new UserError("--out " + file + " already exists; rsslab never overwrites results, choose a new name");
        } catch (AccessDeniedException | NoSuchFileException e) {
            throw new UserError("--out " + file + " cannot be created: " + e.getClass().getSimpleName()
                    .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase());
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

    /** With --overwrite: the finished output replaces the old file (never a failed run's). */
    void commit() {
        if (pending == null) {
            return;
        }
        writer.close();
        try {
            Files.move(pending, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UserError("cannot replace " + file + ": " + e.getMessage() + " (the new output is in "
                    + pending + ")");
        }
    }

    /** Where a failed run's output stays when the old file was kept, or null. */
    Path pending() {
        return pending;
    }

    @Override
    public void close() {
        writer.flush();
        if (file != null) {
            writer.close();
        }
    }
}
