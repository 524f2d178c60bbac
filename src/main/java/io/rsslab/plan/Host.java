package io.rsslab.plan;

import java.util.Locale;

/** The process the scenario's loop runs in. */
public enum Host {
    /** rsslab-probe: the loop on a plain process's main thread, as the article's program. */
    NATIVE,
    /** rsslab-probe running the loop on a new thread: a thread arena serves it. */
    THREAD,
    /** A child JVM calling the C core through JNI on its main Java thread. */
    JVM;

    /** Does the loop run on a thread other than the process's main thread (so in a thread arena)? */
    public boolean threadArena() {
        return this != NATIVE;
    }

    /** The name on the command line and in CSV. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
