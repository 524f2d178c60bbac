package io.rsslab.cli;

import java.io.UncheckedIOException;

import io.rsslab.act.ActError;
import io.rsslab.act.Refused;
import io.rsslab.launch.LaunchError;
import io.rsslab.launch.OutputError;
import io.rsslab.launch.RunsFailed;
import io.rsslab.machine.ExternalCommand;
import io.rsslab.nativelib.NativeUnavailableException;
import io.rsslab.plan.PlanException;
import io.rsslab.report.ReportError;

/** The exit codes of rsslab, one meaning each, and which error gets which: mapped here only. */
public final class ExitCodes {
    /** Every run finished and validated. */
    public static final int OK = 0;
    /** A child failed: non-zero exit, a signal, or output that did not validate. */
    public static final int RUN_FAILED = 1;
    /** Bad input or an unusable machine: one line on stderr says which. */
    public static final int USAGE = 2;
    /** reproduce: every run finished, but this machine does not show what the article showed. */
    public static final int NOT_REPRODUCED = 3;
    /** trim, tune: rsslab refused to touch the process (one line names the rule); it was left as it was. */
    public static final int REFUSED = 5;
    /** A bug in rsslab itself (EX_SOFTWARE); --debug shows the stack trace. */
    public static final int INTERNAL = 70;
    /** Results could not be written (EX_IOERR): a full disk, a closed pipe; one line says what is kept. */
    public static final int OUTPUT_FAILED = 74;

    private ExitCodes() {
    }

    /**
     * The exit code for an error a command threw: USAGE for what the user can
     * fix, OUTPUT_FAILED for results that could not be written, else INTERNAL.
     */
    static int of(Throwable e) {
        if (e instanceof LaunchError || e instanceof PlanException || e instanceof NativeUnavailableException
                || e instanceof ExternalCommand.TimedOut || e instanceof ReportError) {
            return USAGE;
        }
        if (e instanceof Refused) {
            return REFUSED;
        }
        if (e instanceof ActError) {
            return USAGE;
        }
        if (e instanceof RunsFailed) {
            return RUN_FAILED;
        }
        if (e instanceof OutputError || e instanceof UncheckedIOException) {
            return OUTPUT_FAILED;
        }
        return INTERNAL;
    }
}
