package io.rsslab.launch;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

import io.rsslab.fork.ChildOptions;
import io.rsslab.fork.ChildRunner;
import io.rsslab.jvm.JavaRuntime;
import io.rsslab.jvm.JcmdTrim;
import io.rsslab.malloc.LoaderTunables;
import io.rsslab.malloc.MallocSettings;
import io.rsslab.malloc.SettingCheck;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunIds;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.Variant;

/**
 * rsslab run: one run, streamed to the command line's output rather than
 * into a folder. Prepared as a plan's run is (the variant's settings read
 * back and warned about, the memory guard, the mmap threshold and the jcmd
 * pause wired by PlanExecution.childOptions); the command line runs it into
 * the format it chose.
 */
public final class RunLauncher {

    /** The run, its runner (its JVM, its time limit) and the child's options. */
    public record Prepared(RunSpec run, ChildRunner runner, ChildOptions options) {
    }

    private RunLauncher() {
    }

    /** java: the jvm host's JVM (null for the others); jcmdRound: null for the scenario's last. */
    public static Prepared prepare(Scenario scenario, Host host, Variant variant, boolean seed, JavaRuntime java,
            List<String> jvmArgs, Integer jcmdRound, Duration timeout, boolean force, PrintWriter err)
            throws IOException {
        List<SettingCheck> checks = MallocSettings.check(variant.env(), LoaderTunables.read(variant.envMap()));
        PlanLauncher.warnAbout(variant, checks, err);
        MemoryGuard.check(List.of(new RunSpec("guard", scenario, host, variant, 1, false)), force);
        RunSpec run = new RunSpec(RunIds.next(scenario, host), scenario, host, variant, 1, seed);
        ChildRunner runner = (java == null ? new ChildRunner(List.of()) : new ChildRunner(java.java(), jvmArgs))
                .withTimeout(timeout);
        JcmdTrim jcmd = java == null ? null : new JcmdTrim(java);
        return new Prepared(run, runner, PlanExecution.childOptions(run, checks, jcmdRound,
                jcmd == null ? null : (pid, round) -> jcmd.trim(pid)));
    }
}
