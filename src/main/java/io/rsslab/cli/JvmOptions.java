package io.rsslab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.launch.PlanLauncher;
import picocli.CommandLine.Option;

/** Which JVM the jvm host starts, and with what options. */
public final class JvmOptions {

    @Option(names = "--java", paramLabel = "PATH",
            description = "The java for the jvm host (default: the one running rsslab), e.g. "
                    + "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.")
    Path java;

    @Option(names = "--jvm-arg", paramLabel = "ARG",
            description = "An option for the jvm host's JVM (repeatable), e.g. --jvm-arg=-Xmx256m.")
    List<String> jvmArgs = new ArrayList<>();

    private JavaRuntime runtime;

    /** The chosen JVM, asked about itself once; a bad --java is a UserError. */
    JavaRuntime runtime() {
        if (runtime == null) {
            runtime = probe(java == null ? JavaRuntime.current() : java);
        }
        return runtime;
    }

    /** Asks a java about itself; one that is not a JVM is a LaunchError (exit 2). */
    static JavaRuntime probe(Path java) {
        return PlanLauncher.probe(java);
    }

    /** The launch's JVM: null where no JVM was chosen and the plan needs none (the running one, if it does). */
    PlanLauncher.Jvm choice() {
        return given() || runtime != null ? new PlanLauncher.Jvm(runtime(), args()) : null;
    }

    /** --java and --jvm-arg choose the jvm host's JVM: without that host they would be ignored. */
    void requireJvmHost(boolean jvmHost, String command) {
        if (!jvmHost && (java != null || !jvmArgs.isEmpty())) {
            throw new UserError((java != null ? "--java" : "--jvm-arg") + " chooses the jvm host's JVM, and "
                    + command + " runs no jvm host (add --host jvm)");
        }
    }

    /** Was a JVM chosen on the command line? */
    boolean given() {
        return java != null || !jvmArgs.isEmpty();
    }

    List<String> args() {
        return List.copyOf(jvmArgs);
    }
}
