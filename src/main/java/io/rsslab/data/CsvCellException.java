package io.rsslab.data;

/** A cell of one of rsslab's files that is not what its column holds: the message names the file, line and column. */
public final class CsvCellException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    CsvCellException(String message) {
        super(message);
    }
}
