package io.rsslab.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.rsslab.act.Trim;
import io.rsslab.report.ActLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab trim PID: malloc_trim inside a running process, with inspect's prediction beside the outcome. */
@Command(name = "trim", mixinStandardHelpOptions = true,
        description = "Call malloc_trim inside a running glibc process (ptrace; a JVM through jcmd "
                + "System.trim_native_heap), safely: every thread stopped, no arena lock held, everything restored; "
                + "prints inspect's prediction, what it returned, VmRSS before and after, and the pause.")
public final class TrimCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process to trim.")
    String pidText;

    @Option(names = "--pad", paramLabel = "BYTES", description = "malloc_trim's argument (default 0).")
    long pad;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long a held arena lock is waited out, "
            + "the process let go between tries (default 3).")
    double waitSeconds = 3;

    @Option(names = "--inject", description = "A JVM too through ptrace, not jcmd.")
    boolean inject;

    @Option(names = "--force", description = "Go on where the lock cannot be checked (no main_arena found) or a "
            + "seccomp filter may kill the call's syscalls.")
    boolean force;

    @Override
    public Integer call() {
        long pid = Pids.parse(pidText);
        if (pad < 0) {
            throw new UserError("--pad must be 0 or more bytes");
        }
        Trim.Outcome o = Trim.run(new Trim.Settings(pid, pad, Pids.waitOf(waitSeconds), force, inject));
        PrintWriter out = spec.commandLine().getOut();
        ActLines.trim(o).forEach(out::println);
        out.flush();
        return ExitCodes.OK;
    }
}
