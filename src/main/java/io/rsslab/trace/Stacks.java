package io.rsslab.trace;

import java.util.Locale;

/**
 * rsslab record --stacks: which calls carry their call site (src/main/c/record_preload.c,
 * RSSLAB_RECORD_STACKS). LARGE: requests of TRACE_STACK_LARGE_BYTES (128 KiB) or more and every free of an
 * mmapped chunk (the frees that move the dynamic threshold); ALL: every call.
 */
public enum Stacks {
    NONE, LARGE, ALL;

    /** The environment variable the recorder reads. */
    public static final String ENV = "RSSLAB_RECORD_STACKS";

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
