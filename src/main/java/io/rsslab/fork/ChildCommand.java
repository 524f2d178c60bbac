package io.rsslab.fork;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;

/**
 * The command line of a run's child, as a list (never through a shell).
 * Native and thread: the probe. JVM: the chosen java, the same class path,
 * the forked-main class. Both take the same ChildArgs.
 */
public final class ChildCommand {

    private ChildCommand() {
    }

    /** The child's arguments for a run in records format. */
    static ChildArgs args(RunSpec spec, ChildOptions options) {
        return new ChildArgs(spec.scenario().name(), spec.variant().trim(), false, options.explain(),
                spec.host() == Host.THREAD,
                options.mallocInfo() == null ? null : options.mallocInfo().toAbsolutePath().toString(),
                options.pauseAfterRound(), null);
    }

    /** The child's command: its program, then args. */
    static List<String> forArgs(RunSpec spec, ChildArgs args, Path java, List<String> jvmArgs) {
        List<String> cmd = new ArrayList<>();
        if (spec.host() == Host.JVM) {
            cmd.add(java.toString());
            cmd.addAll(jvmArgs);
            cmd.addAll(spec.variant().jvmArgs());
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add(ForkedMain.class.getName());
        } else {
            cmd.add(NativeLoader.probe().toString());
        }
        cmd.addAll(args.toArgs());
        return cmd;
    }

    /** The command run under the probe's reaper, which reports the kernel's accounting of it. */
    public static List<String> reaped(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(NativeLoader.probe().toString(), "--reap", "--"));
        cmd.addAll(command);
        return cmd;
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
