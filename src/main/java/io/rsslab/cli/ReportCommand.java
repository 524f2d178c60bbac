package io.rsslab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.report.FolderReport;
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
        Path html = FolderReport.write(folders, target, overwrite);
        PrintWriter o = spec.commandLine().getOut();
        o.println("report: " + html);
        o.flush();
        return ExitCodes.OK;
    }
}
