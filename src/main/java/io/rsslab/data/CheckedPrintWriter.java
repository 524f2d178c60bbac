package io.rsslab.data;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A PrintWriter that does not swallow a failed write: a PrintWriter only
 * remembers that one failed (a full disk, a closed pipe, /dev/full), so
 * output could end short with exit code 0. This one throws the write's
 * IOException, as an UncheckedIOException, from the next flush or close.
 * Everything rsslab writes a row or a line at a time flushes after each.
 */
public final class CheckedPrintWriter extends PrintWriter {

    /** Keeps the first IOException of the writer it wraps. */
    private static final class Recording extends FilterWriter {
        private volatile IOException failure;

        Recording(Writer out) {
            super(out);
        }

        private IOException record(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }

        /** A write of the wrapped writer's. */
        private interface Write {
            void run() throws IOException;
        }

        private void guarded(Write w) throws IOException {
            try {
                w.run();
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void write(int c) throws IOException {
            guarded(() -> super.write(c));
        }

        @Override
        public void write(char[] cbuf, int off, int len) throws IOException {
            guarded(() -> super.write(cbuf, off, len));
        }

        @Override
        public void write(String str, int off, int len) throws IOException {
            guarded(() -> super.write(str, off, len));
        }

        @Override
        public void flush() throws IOException {
            guarded(super::flush);
        }

        @Override
        public void close() throws IOException {
            guarded(super::close);
        }
    }

    private final Recording recording;

    public CheckedPrintWriter(Writer out) {
        this(new Recording(out));
    }

    private CheckedPrintWriter(Recording recording) {
        super(recording, false);
        this.recording = recording;
    }

    /** Flushes; throws if this or any earlier write failed. */
    @Override
    public void flush() {
        super.flush();
        failIfFailed();
    }

    @Override
    public void close() {
        super.close();
        failIfFailed();
    }

    private void failIfFailed() {
        IOException e = recording.failure;
        if (e != null) {
            throw new UncheckedIOException(e.getMessage() == null ? "an input/output error" : e.getMessage(), e);
        }
    }
}
