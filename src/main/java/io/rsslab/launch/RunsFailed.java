package io.rsslab.launch;

/** Every run of a command failed alike (try): one line naming the first failure, exit code 1. */
public final class RunsFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunsFailed(String message) {
        super(message);
    }
}
