package io.rsslab.cli;

import java.util.List;

import io.rsslab.plan.Variant;
import picocli.CommandLine.Option;

/** When rsslab runs jcmd System.trim_native_heap for the jvm-jcmd-trim variant. */
public final class JcmdOptions {

    @Option(names = "--jcmd-round", paramLabel = "K",
            description = "With variant jvm-jcmd-trim: the round after whose frees rsslab runs jcmd (default: the last).")
    Integer round;

    /** --jcmd-round means nothing without a variant that runs jcmd. */
    void requireJcmdVariant(List<Variant> variants) {
        if (round != null && variants.stream().noneMatch(Variant::jcmdTrim)) {
            throw new UserError("--jcmd-round goes with the variant jvm-jcmd-trim, which is not planned here");
        }
    }
}
