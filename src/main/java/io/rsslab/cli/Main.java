package io.rsslab.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** rsslab: why a Linux process keeps memory it has freed, measured. */
@Command(name = "rsslab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Reproduces, measures and explains why a Linux process keeps memory it has freed "
                + "(glibc malloc's dynamic mmap threshold).",
        subcommands = {ReproduceCommand.class, RunCommand.class, MatrixCommand.class, HostsCommand.class,
                ScenariosCommand.class,
                VariantsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Show stack traces of errors (for reporting rsslab bugs).")
    boolean debug;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "no command given");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("rsslab: " + ex.getMessage() + " (see: " + qualified(ex.getCommandLine()) + " --help)");
            if (hasDebug(a)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = hasDebug(args);
            int code = ExitCodes.of(ex);
            if (code != ExitCodes.INTERNAL) {
                err.println("rsslab: " + ex.getMessage());
                if (debug) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return code;
            }
            err.println("rsslab: internal error: " + ex
                    + (debug ? "" : " (run again with --debug for the stack trace)"));
            if (debug) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.INTERNAL;
        });
        return cl.execute(args);
    }

    private static String qualified(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName();
    }

    private static boolean hasDebug(String[] args) {
        for (String a : args) {
            if ("--debug".equals(a)) {
                return true;
            }
        }
        return false;
    }
}
