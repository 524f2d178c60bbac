package io.rsslab.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.rsslab.data.CheckedPrintWriter;
import io.rsslab.data.Text;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** rsslab: why a Linux process keeps memory it has freed, measured. */
@Command(name = "rsslab", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Reproduces, measures and explains why a Linux process keeps memory it has freed "
                + "(glibc malloc's dynamic mmap threshold).")
public final class Main implements Runnable {

    /**
     * The subcommands, in the order help lists them. Added to the command line in execute(): all of them,
     * or only the one the arguments name, since picocli reads every added command's annotations up front
     * (about a third of `rsslab run`'s start-up before the child, measured by bench/startup.py).
     */
    static final List<Class<?>> COMMANDS = List.of(ReproduceCommand.class, RunCommand.class, MatrixCommand.class,
            HostsCommand.class, InspectCommand.class, TryCommand.class, RecordCommand.class, ReplayCommand.class,
            ReportCommand.class, SweepCommand.class, WatchCommand.class, ScenariosCommand.class, VariantsCommand.class,
            TrimmerCommand.class, TrimCommand.class, TuneCommand.class,
            CommandLine.HelpCommand.class);

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
        String badArgument = undecodable(args);
        if (badArgument != null) {
            System.err.println("rsslab: " + badArgument);
            System.exit(ExitCodes.USAGE);
        }
        // Standard output straight to fd 1, not through System.out: a PrintStream swallows a failed
        // write (a full disk, /dev/full), and results that did not reach their file must not exit 0.
        PrintWriter out = new CheckedPrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out),
                StandardCharsets.UTF_8));
        int code = execute(args, out, new PrintWriter(System.err, true));
        try {
            out.flush();
        } catch (UncheckedIOException e) {
            if (code != ExitCodes.OUTPUT_FAILED) {
                System.err.println("rsslab: cannot write to standard output: " + e.getMessage());
                code = ExitCodes.OUTPUT_FAILED;
            }
        }
        System.exit(code);
    }

    /**
     * The whole command line, every subcommand added: what the shell completion and the man pages are generated
     * from at build time (deploy/GenerateDocs.java), so that help, completion and man say the same.
     */
    public static CommandLine commandLine() {
        return commandLine(COMMANDS);
    }

    private static CommandLine commandLine(List<Class<?>> commands) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
        return cl;
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Invocation.set(args);
        // Charts are drawn off screen: no display is needed or used.
        System.setProperty("java.awt.headless", "true");
        // `rsslab --version` alone needs no subcommand: none is read, nor searched for (its annotations are parsed).
        boolean versionOnly = args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
        Class<?> named = args.length > 0 && !versionOnly ? COMMANDS.stream()
                .filter(c -> c != CommandLine.HelpCommand.class
                        && c.getAnnotation(Command.class).name().equals(args[0]))
                .findFirst().orElse(null) : null;
        CommandLine cl = commandLine(named != null ? List.<Class<?>>of(named) : versionOnly ? List.of() : COMMANDS);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("rsslab: " + Text.printable(ex.getMessage()) + " (see: " + qualified(ex.getCommandLine())
                    + " --help)");
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
                err.println("rsslab: " + (ex instanceof UncheckedIOException ? "cannot write the output: " : "")
                        + Text.printable(ex.getMessage()));
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

    /**
     * Why an argument did not reach Java as the bytes it was given, or null.
     * The JVM decodes arguments in the locale's encoding and replaces what it
     * cannot decode (a path in another encoding, any non-ASCII in the C
     * locale) without a word; the kernel's copy (/proc/self/cmdline, the
     * last args.length entries) tells.
     */
    static String undecodable(String[] args) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException e) {
            return null;
        }
        List<byte[]> entries = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                entries.add(Arrays.copyOfRange(raw, from, i));
                from = i + 1;
            }
        }
        if (entries.size() < args.length) {
            return null;
        }
        for (int i = 0; i < args.length; i++) {
            byte[] bytes = entries.get(entries.size() - args.length + i);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return "argument " + (i + 1) + " (" + Text.printable(args[i]) + ") is not UTF-8 text; rsslab takes "
                        + "its arguments, paths among them, as UTF-8";
            }
            if (!text.equals(args[i])) {
                return "argument " + (i + 1) + " (" + Text.printable(text) + ") has characters this JVM cannot take "
                        + "in the locale it runs in: run rsslab with LANG=C.UTF-8";
            }
        }
        return null;
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
