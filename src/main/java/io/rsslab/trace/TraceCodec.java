package io.rsslab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Version 5's compact records (src/main/c/trace_format.h, the one owner; TraceFormatTest ties the constants):
 * per record seven unsigned LEB128 varints, op | flags &lt;&lt; FLAGS_SHIFT, thread, zigzag(seq - the previous
 * record's), zigzag(time - the previous record's), a call's zigzag(ptr - the previous call's in its thread) or
 * another record's ptr, size, and realloc's zigzag(aux - ptr) or any other's aux. The zstd frames around them
 * are zstd-jni's ({@link TraceFile}); this class only turns records into bytes and back.
 */
final class TraceCodec {

    /** = TRACE_FLAGS_SHIFT. */
    static final int FLAGS_SHIFT = 4;
    /** = TRACE_VARINT_MAX: a 64-bit varint's bytes at most. */
    static final int VARINT_MAX = 10;
    /** The bytes one record takes at most. */
    static final int MAX_RECORD = 7 * VARINT_MAX;

    private long seq;
    private long time;
    private final long[] lastPtr = new long[TraceFile.MAX_THREADS];

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int put(byte[] b, int at, long v) {
        while ((v & ~0x7fL) != 0) {
            b[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    private static boolean call(int op) {
        TraceOp o = TraceOp.of(op);
        return o != null && o != TraceOp.END && o.isCall();
    }

    /** Writes e at b[at], returns the position after it (at most MAX_RECORD bytes). */
    int encode(TraceEvent e, byte[] b, int at) {
        at = put(b, at, (e.op() & ((1L << FLAGS_SHIFT) - 1)) | (long) (e.flags() & 0xffff) << FLAGS_SHIFT);
        at = put(b, at, Integer.toUnsignedLong(e.thread()));
        at = put(b, at, zigzag(e.seq() - seq));
        at = put(b, at, zigzag(e.timeNs() - time));
        seq = e.seq();
        time = e.timeNs();
        if (call(e.op()) && Integer.toUnsignedLong(e.thread()) < TraceFile.MAX_THREADS) {
            at = put(b, at, zigzag(e.ptr() - lastPtr[e.thread()]));
            lastPtr[e.thread()] = e.ptr();
        } else {
            at = put(b, at, e.ptr());
        }
        at = put(b, at, e.size());
        return put(b, at, e.op() == TraceOp.REALLOC.code() ? zigzag(e.aux() - e.ptr()) : e.aux());
    }

    /** A record the body ends inside, or one the codec refuses; bytes: how many of it were read. */
    static final class Damaged extends Exception {
        private static final long serialVersionUID = 1L;
        final int bytes;
        final boolean cut;

        Damaged(String why, int bytes, boolean cut) {
            super(why, null, false, false);
            this.bytes = bytes;
            this.cut = cut;
        }
    }

    private int read;

    private long get(InputStream in) throws IOException, Damaged {
        return get(in, -1);
    }

    /** One varint; first: its first byte when already read, or -1. */
    private long get(InputStream in, int first) throws IOException, Damaged {
        long v = 0;
        for (int i = 0; i < VARINT_MAX; i++) {
            int c = i == 0 && first >= 0 ? first : in.read();
            if (c < 0) {
                throw new Damaged("the trace ends inside this record (cut short)", read, true);
            }
            read++;
            if (i == VARINT_MAX - 1 && (c & 0xfe) != 0) {
                break;
            }
            v |= (long) (c & 0x7f) << (7 * i);
            if ((c & 0x80) == 0) {
                return v;
            }
        }
        throw new Damaged("a varint longer than 64 bits (a damaged trace)", read, false);
    }

    /** The next record, or null when the body ends before its first byte. */
    TraceEvent decode(InputStream in) throws IOException, Damaged {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        read = 0;
        long head = get(in, first);
        long thread = get(in);
        long opFlags = head;
        if ((opFlags >>> FLAGS_SHIFT) > 0xffff || thread > 0xffffffffL) {
            throw new Damaged("an operation or thread number out of its field (a damaged trace)", read, false);
        }
        int op = (int) (opFlags & ((1 << FLAGS_SHIFT) - 1));
        int flags = (int) (opFlags >>> FLAGS_SHIFT);
        seq += unzigzag(get(in));
        time += unzigzag(get(in));
        long ptr;
        if (call(op)) {
            if (thread >= TraceFile.MAX_THREADS) {
                throw new Damaged("a thread number above " + (TraceFile.MAX_THREADS - 1) + " (a damaged trace)",
                        read, false);
            }
            ptr = lastPtr[(int) thread] + unzigzag(get(in));
            lastPtr[(int) thread] = ptr;
        } else {
            ptr = get(in);
        }
        long size = get(in);
        long aux = get(in);
        if (op == TraceOp.REALLOC.code()) {
            aux = ptr + unzigzag(aux);
        }
        return new TraceEvent(seq, time, ptr, size, aux, (int) thread, op, flags);
    }

    /** Writes records to out through a buffer of whole records. */
    static final class Out {
        private final TraceCodec codec = new TraceCodec();
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int at;

        Out(OutputStream out) {
            this.out = out;
        }

        void write(TraceEvent e) throws IOException {
            if (at > buf.length - MAX_RECORD) {
                out.write(buf, 0, at);
                at = 0;
            }
            at = codec.encode(e, buf, at);
        }

        void flush() throws IOException {
            out.write(buf, 0, at);
            at = 0;
        }
    }
}
