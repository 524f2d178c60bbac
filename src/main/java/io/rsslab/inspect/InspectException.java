package io.rsslab.inspect;

/** The process cannot be inspected (gone, a zombie, a kernel thread, not readable, not glibc, not x86-64): one line says why. */
public class InspectException extends Exception {
    private static final long serialVersionUID = 1L;

    public InspectException(String message) {
        super(message);
    }
}
