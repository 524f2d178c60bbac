package io.rsslab.plan;

/** The plan asked for cannot be made: an unknown name, a bad value, a variant not available here. */
public final class PlanException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PlanException(String message) {
        super(message);
    }
}
