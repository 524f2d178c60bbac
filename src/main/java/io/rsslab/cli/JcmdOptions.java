package io.rsslab.cli;

import picocli.CommandLine.Option;

/** When rsslab runs jcmd System.trim_native_heap for the jvm-jcmd-trim variant. */
public final class JcmdOptions {

    @Option(names = "--jcmd-round", paramLabel = "K",
            description = "With variant jvm-jcmd-trim: the round after whose frees rsslab runs jcmd (default: the last).")
    Integer round;
}
