package io.rsslab.report;

/** A folder given to the report is not a results folder, or one of its files is not valid CSV of its kind. */
public final class BadResultsException extends Exception {
    private static final long serialVersionUID = 1L;

    BadResultsException(String message) {
        super(message);
    }
}
