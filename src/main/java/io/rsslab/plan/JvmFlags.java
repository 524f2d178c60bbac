package io.rsslab.plan;

import java.util.Optional;

/**
 * What planning needs to know of the jvm host's JVM: which -XX flags it
 * has, which must be unlocked, whether jcmd is beside it. The jvm package
 * answers it by asking that JVM (io.rsslab.jvm.JavaRuntime); planning only
 * reads the answers, so it does not depend on how they were found.
 */
public interface JvmFlags {

    boolean has(String flag);

    /** The option a flag needs before it, if it is experimental or diagnostic here. */
    Optional<String> unlockFor(String flag);

    /** Is jcmd there to ask this JVM to trim its native heap? */
    boolean hasJcmd();

    /** e.g. "17.0.15 (Debian) /usr/lib/jvm/java-17-openjdk-amd64/bin/java". */
    String describe();
}
