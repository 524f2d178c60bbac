package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.rsslab.data.Folders;

/**
 * The report of finished results folders (report.html and its charts), and
 * the end every command that fills a folder prints: the folder, its report,
 * how many runs failed.
 */
public final class FolderReport {

    private FolderReport() {
    }

    /**
     * Writes the report of folders into target: beside it first, then renamed
     * into place, so an existing report is replaced (with overwrite) only by a
     * complete one. Bad folders, or a target rsslab will not replace, are a ReportError.
     */
    public static Path write(List<Path> folders, Path target, boolean overwrite) throws IOException {
        // Each folder first: a missing one is named as such, not as a --out that may not have been given.
        for (Path f : folders) {
            requireFolder(f);
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new ReportError(target + " already exists; rsslab never overwrites a report, give --out DIR "
                        + "(or --overwrite to replace it once the new one is complete)");
            }
            if (!Files.isRegularFile(target.resolve("report.html"), LinkOption.NOFOLLOW_LINKS)) {
                throw new ReportError(target + " is not a report folder (no report.html); rsslab will not replace it");
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ReportError("--out " + target + ": folder " + parent + " does not exist");
        }
        Path fresh = parent.resolve(target.getFileName() + ".rsslab-new-" + ProcessHandle.current().pid());
        try {
            HtmlReport.write(folders, fresh);
        } catch (BadResultsException e) {
            Folders.deleteTree(fresh);
            throw new ReportError(e.getMessage());
        } catch (IOException | RuntimeException e) {
            Folders.deleteTree(fresh);
            throw e;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Path old = parent.resolve(target.getFileName() + ".rsslab-old-" + ProcessHandle.current().pid());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            Folders.deleteTree(old);
        } else {
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        }
        return target.resolve("report.html");
    }

    /** A folder given to the report: a folder (what is in it is checked as it is read). */
    static void requireFolder(Path f) {
        if (Files.isDirectory(f)) {
            return;
        }
        String why = Files.isSymbolicLink(f) && !Files.exists(f) ? "a symbolic link that loops or leads nowhere"
                : Files.exists(f, LinkOption.NOFOLLOW_LINKS) ? "not a folder" : "no such folder";
        throw new ReportError(f + " is not a results folder (" + why + ")");
    }

    /**
     * The report a command that ran children writes at its end, into its folder: its
     * path, or null with one warning line (the results themselves are complete).
     */
    public static Path afterRuns(Path folder, PrintWriter err) {
        try {
            return write(List.of(folder), folder.resolve("report"), false);
        } catch (IOException | RuntimeException e) {
            err.println("rsslab: warning: the report could not be written (" + e.getMessage() + "); the results are "
                    + "complete: rsslab report " + folder);
            err.flush();
            return null;
        }
    }

    /** The end of a command that filled a folder: "results: DIR", its report written and named. */
    public static void close(Path folder, PrintWriter out, PrintWriter err) {
        out.println("results: " + folder);
        Path html = afterRuns(folder, err);
        if (html != null) {
            out.println("report: " + html);
        }
        out.flush();
    }

    /** One line when some of the runs failed (try, replay); true if some did. */
    public static boolean failures(int failed, int total, PrintWriter err) {
        if (failed == 0) {
            return false;
        }
        err.println("rsslab: " + failed + " of " + total + " runs failed (see runs.csv)");
        err.flush();
        return true;
    }
}
