package io.rsslab.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** --out FILE and --overwrite, for the commands that write one file (run, inspect). */
public final class FileOutputOptions {

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE, a new file (never overwritten).")
    String outText;

    @Option(names = "--overwrite", description = "Replace an existing --out FILE, once the output is complete.")
    boolean overwrite;

    /** --out as a path, or null; "dir/" names a folder, where one file is written (Path would drop the slash). */
    Path file() {
        if (outText == null) {
            return null;
        }
        if (outText.endsWith("/")) {
            throw new UserError("--out " + outText + " names a folder; this command writes one file: give its name");
        }
        try {
            return Path.of(outText);
        } catch (InvalidPathException e) {
            throw new UserError("--out " + outText + " is not a path: " + e.getReason());
        }
    }

    boolean given() {
        return outText != null;
    }
}
