package io.rsslab.fork;

/** Consumes a child's standard output line by line, validating as it goes. */
interface ChildOutput {

    void line(String line) throws BadOutputException;

    /** The child's output ended; throws if it ended early. */
    void end() throws BadOutputException;
}
