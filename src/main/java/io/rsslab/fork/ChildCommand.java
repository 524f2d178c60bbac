package io.rsslab.fork;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.plan.RunSpec;

/**
 * The command line of a run's child, as a list (never through a shell).
 * Native: the probe. JVM: this JVM's own java, the same class path, the
 * forked-main class, and the same arguments the probe takes.
 */
public final class ChildCommand {

    private ChildCommand() {
    }

    public static List<String> forSpec(RunSpec spec, List<String> jvmArgs) {
        return forSpec(spec, JavaRuntime.current(), jvmArgs, ChildOptions.DEFAULT);
    }

    public static List<String> forSpec(RunSpec spec, Path java, List<String> jvmArgs, ChildOptions options) {
        List<String> cmd = new ArrayList<>();
        switch (spec.host()) {
            case NATIVE -> cmd.add(NativeLoader.probe().toString());
            case THREAD -> cmd.add(NativeLoader.probe().toString());
            case JVM -> {
                cmd.add(java.toString());
                cmd.addAll(jvmArgs);
                cmd.addAll(spec.variant().jvmArgs());
                cmd.add("-cp");
                cmd.add(classPath());
                cmd.add(ForkedMain.class.getName());
            }
            default -> throw new IllegalArgumentException("no child command for host " + spec.host());
        }
        cmd.add(spec.scenario().name());
        if (spec.variant().trim()) {
            cmd.add("--trim");
        }
        cmd.add("--format");
        cmd.add(spec.seedFormat() ? "seed" : "records");
        if (spec.host() == io.rsslab.plan.Host.THREAD) {
            cmd.add("--thread");
        }
        if (!options.explain()) {
            cmd.add("--no-explain");
        }
        if (options.pauseAfterRound() != null) {
            cmd.add("--pause-after");
            cmd.add(options.pauseAfterRound().toString());
        }
        if (options.mallocInfo() != null) {
            cmd.add("--malloc-info");
            cmd.add(options.mallocInfo().toAbsolutePath().toString());
        }
        return cmd;
    }

    /** The command run under the probe's reaper, which reports the kernel's accounting of it. */
    public static List<String> reaped(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--reap", "--"));
        cmd.addAll(command);
        return cmd;
    }

    /** The java the jvm host starts, for environment.csv. */
    public static String javaCommandDescription() {
        return JavaRuntime.current() + " (java.home of the running rsslab)";
    }

    /** This JVM's class path with every entry made absolute (the jar may have been named relatively). */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                entries.add(Path.of(e).toAbsolutePath().toString());
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
