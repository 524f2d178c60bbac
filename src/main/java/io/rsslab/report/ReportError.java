package io.rsslab.report;

/** A report that cannot be written for what the user gave (not a results folder, an existing target): exit 2. */
public final class ReportError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReportError(String message) {
        super(message);
    }
}
