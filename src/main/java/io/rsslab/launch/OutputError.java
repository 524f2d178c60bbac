package io.rsslab.launch;

import java.io.UncheckedIOException;

/** Results could not be written (a full disk, a closed pipe): one line saying what is kept, exit code 74. */
public final class OutputError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputError(String message, Throwable cause) {
        super(message, cause);
    }

    /** What the system said of a failed write, e.g. "No space left on device". */
    public static String reason(Throwable e) {
        Throwable t = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        return t.getMessage() == null ? "an input/output error" : t.getMessage();
    }
}
