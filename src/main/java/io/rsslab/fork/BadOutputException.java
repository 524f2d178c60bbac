package io.rsslab.fork;

/** A child's output is not what its scenario must produce; the message says where. */
public final class BadOutputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadOutputException(String message) {
        super(message);
    }
}
