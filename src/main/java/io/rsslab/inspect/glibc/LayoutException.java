package io.rsslab.inspect.glibc;

/** The memory is not laid out as the glibc being modelled lays it out (or it changed while it was read). */
final class LayoutException extends Exception {
    private static final long serialVersionUID = 1L;

    LayoutException(String message) {
        super(message);
    }
}
