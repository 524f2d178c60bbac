package io.rsslab.act;

/** Acting on a process failed or could not start (bad input, gone, not readable): one line, exit 2. */
public class ActError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ActError(String message) {
        super(message);
    }
}
