package io.rsslab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import io.rsslab.act.Tune;
import io.rsslab.report.ActLines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** rsslab tune PID NAME=VALUE...: mallopt inside a running process. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Set glibc malloc settings inside a running process with mallopt (ptrace, as trim): "
                + "trim_threshold, top_pad, mmap_threshold, mmap_max, arena_max, arena_test; what mallopt returned and mp_ "
                + "holds after it (read back from the process), "
                + "and the lines that make it permanent (a restart forgets it).")
public final class TuneCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process to tune.")
    String pidText;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "NAME=VALUE",
            description = "A setting, e.g. mmap_threshold=131072 (the loader's value rules).")
    List<String> settings;

    @Option(names = "--wait", paramLabel = "SECONDS", description = "How long a held arena lock is waited out "
            + "(default 3).")
    double waitSeconds = 3;

    @Option(names = "--force", description = "Go on where the lock cannot be checked or a seccomp filter may kill "
            + "the call's syscalls.")
    boolean force;

    @Override
    public Integer call() {
        long pid = Pids.parse(pidText);
        Tune.Result applied = Tune.run(pid, settings, Pids.waitOf(waitSeconds), force);
        PrintWriter out = spec.commandLine().getOut();
        ActLines.tune(pid, applied).forEach(out::println);
        out.flush();
        return applied.applied().stream().allMatch(Tune.Applied::set) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
}
