package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.data.Folders;
import io.rsslab.report.BadResultsException;
import io.rsslab.report.HtmlReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab report DIR...: charts (PNG, SVG) and one self-contained report.html for results folders. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Charts and one self-contained HTML page for one or more results folders (several: the same "
                + "runs side by side, machine by machine).")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Results folders (of matrix, reproduce, hosts).")
    List<Path> folders = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "The report's folder, new (default: DIR/report for one folder; required for several).")
    Path out;

    @Option(names = "--overwrite", description = "Replace an existing report folder, once the new one is complete.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (out == null && folders.size() > 1) {
            throw new UserError("a report of several folders needs --out DIR (a new folder)");
        }
        Path target = out != null ? out : folders.get(0).resolve("report");
        Path html = write(folders, target, overwrite);
        PrintWriter o = spec.commandLine().getOut();
        o.println("report: " + html);
        o.flush();
        return ExitCodes.OK;
    }

    /**
     * Writes the report of folders into target: beside it first, then renamed
     * into place, so an existing report is replaced (with overwrite) only by a
     * complete one. Bad folders are a UserError.
     */
    static Path write(List<Path> folders, Path target, boolean overwrite) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!overwrite) {
                throw new UserError(target + " already exists; rsslab never overwrites a report, give --out DIR "
                        + "(or --overwrite to replace it once the new one is complete)");
            }
            if (!Files.isRegularFile(target.resolve("report.html"), LinkOption.NOFOLLOW_LINKS)) {
                throw new UserError(target + " is not a report folder (no report.html); rsslab will not replace it");
            }
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserError("--out " + target + ": folder " + parent + " does not exist");
        }
        Path fresh = parent.resolve(target.getFileName() + ".rsslab-new-" + ProcessHandle.current().pid());
        try {
            HtmlReport.write(folders, fresh);
        } catch (BadResultsException e) {
            Folders.deleteTree(fresh);
            throw new UserError(e.getMessage());
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

    /**
     * The report a multi-run command writes at its end, into its folder: its
     * path, or null with one warning line (the results themselves are complete).
     */
    static Path afterRuns(Path folder, PrintWriter err) {
        try {
            return write(List.of(folder), folder.resolve("report"), false);
        } catch (IOException | RuntimeException e) {
            err.println("rsslab: warning: the report could not be written (" + e.getMessage() + "); the results are "
                    + "complete: rsslab report " + folder);
            err.flush();
            return null;
        }
    }

    /**
     * The end of try and replay: the folder, its report, and exit code 1 with
     * one line when some of the runs failed.
     */
    static int closeFolder(Path folder, int failed, int total, PrintWriter out, PrintWriter err) {
        out.println("results: " + folder);
        Path html = afterRuns(folder, err);
        if (html != null) {
            out.println("report: " + html);
        }
        out.flush();
        if (failed > 0) {
            err.println("rsslab: " + failed + " of " + total + " runs failed (see runs.csv)");
            err.flush();
            return ExitCodes.RUN_FAILED;
        }
        return ExitCodes.OK;
    }

}
