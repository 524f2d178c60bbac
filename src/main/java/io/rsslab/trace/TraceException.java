package io.rsslab.trace;

/** A trace that cannot be read or written: one line for the user. */
public final class TraceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TraceException(String message) {
        super(message);
    }

    public TraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
