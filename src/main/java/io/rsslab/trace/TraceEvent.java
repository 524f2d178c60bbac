package io.rsslab.trace;

import java.nio.ByteBuffer;

/**
 * One record of a trace (48 bytes, little-endian, as struct trace_record in
 * src/main/c/trace_format.h): the global sequence number, nanoseconds since
 * the process started, the block, the bytes requested, the old block (realloc)
 * or the alignment, the thread's small number, the operation and its flags.
 */
public record TraceEvent(long seq, long timeNs, long ptr, long size, long aux, int thread, int op, int flags) {

    public static final int BYTES = 48;
    /** The call returned NULL or an error. */
    public static final int FAILED = 1;

    /** Reads one record at the buffer's position (which must be little-endian). */
    public static TraceEvent read(ByteBuffer b) {
        return new TraceEvent(b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getLong(), b.getInt(),
                Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()));
    }

    public void write(ByteBuffer b) {
        b.putLong(seq).putLong(timeNs).putLong(ptr).putLong(size).putLong(aux).putInt(thread)
                .putShort((short) op).putShort((short) flags);
    }

    /** null when op is no known operation. */
    public TraceOp operation() {
        return TraceOp.of(op);
    }

    public boolean failed() {
        return (flags & FAILED) != 0;
    }
}
