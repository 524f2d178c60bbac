package io.rsslab.trace;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace file `rsslab record` writes: self-describing, in call order.
 *
 * <pre>
 *   "RSSLABTR", u32 version (1), u32 n, n bytes of UTF-8 "key=value" lines
 *   (format, glibc, command, start, pid, parent_pid, forked, record_bytes),
 *   records (TraceEvent, 48 bytes each, little-endian) in sequence order,
 *   one END record: seq = the number of records before it, time = the last
 *   record's, ptr = the peak of live bytes requested, size = the threads,
 *   aux = calls the recorder lost, flags = 1 when every call was written
 *   (the process ended through exit() or execve, or it was a fork, which
 *   writes each call at once).
 * </pre>
 *
 * A file without the END record was cut short; {@link Reader} reads it up to
 * its last whole record and says so.
 */
public final class TraceFile {

    static final byte[] MAGIC = "RSSLABTR".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;
    /** END's flags: all the process's calls were written (exit(), execve, or a fork writing through). */
    public static final int ENDED = 1;
    private static final int MAX_HEADER = 1 << 20;

    private TraceFile() {
    }

    /** What a merge found, also in the END record. */
    public record Summary(long records, long peakLiveBytes, int threads, long lost, boolean ended, long cutBytes,
            long unknownFrees, long lastTimeNs) {
    }

    /** Writes raw's records, in sequence order, as a trace file with header. */
    public static Summary write(RawTrace raw, Map<String, String> header, OutputStream out) throws IOException {
        BufferedOutputStream o = new BufferedOutputStream(out, 1 << 16);
        StringBuilder text = new StringBuilder();
        header.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).putInt(VERSION).putInt(bytes.length);
        o.write(head.array());
        o.write(bytes);
        ByteBuffer rec = ByteBuffer.allocate(TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        Map<Long, Long> live = new HashMap<>();
        long[] stats = new long[5]; // records, live bytes, peak, unknown frees, last time
        IOException[] failed = new IOException[1];
        raw.merge(e -> {
            if (failed[0] != null) {
                return;
            }
            rec.clear();
            e.write(rec);
            try {
                o.write(rec.array());
            } catch (IOException x) {
                failed[0] = x;
                return;
            }
            stats[0]++;
            stats[4] = e.timeNs();
            TraceOp op = e.operation();
            if (op == TraceOp.FREE || (op == TraceOp.REALLOC && !e.failed() && e.aux() != 0)) {
                Long size = live.remove(op == TraceOp.FREE ? e.ptr() : e.aux());
                if (size == null) {
                    stats[3]++;
                } else {
                    stats[1] -= size;
                }
            }
            if (op != null && op.allocates() && !e.failed() && e.ptr() != 0) {
                Long before = live.put(e.ptr(), e.size());
                stats[1] += e.size() - (before == null ? 0 : before);
                stats[2] = Math.max(stats[2], stats[1]);
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        Summary s = new Summary(stats[0], stats[2], raw.threads(), raw.lost(), (raw.ended() || raw.forked()) && raw.cutBytes() == 0,
                raw.cutBytes(), stats[3], stats[4]);
        rec.clear();
        new TraceEvent(s.records(), s.lastTimeNs(), s.peakLiveBytes(), s.threads(), s.lost(), 0, TraceOp.END.code(),
                s.ended() ? ENDED : 0).write(rec);
        o.write(rec.array());
        o.flush();
        return s;
    }

    /**
     * What a trace holds, from its header, its length and its last record
     * (nothing in between is read): the calls, the bytes of a record it ends
     * inside, and its END record (null when it was cut short).
     */
    public record Shape(Map<String, String> header, long calls, long cutBytes, TraceEvent end) {
    }

    public static Shape shape(Path file) {
        try (Reader r = new Reader(file); RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long body = f.length() - r.headerBytes();
            long whole = body / TraceEvent.BYTES;
            TraceEvent end = null;
            if (body % TraceEvent.BYTES == 0 && whole >= 1) {
                byte[] last = new byte[TraceEvent.BYTES];
                f.seek(f.length() - TraceEvent.BYTES);
                f.readFully(last);
                TraceEvent e = TraceEvent.read(ByteBuffer.wrap(last).order(ByteOrder.LITTLE_ENDIAN));
                end = e.operation() == TraceOp.END && e.seq() == whole - 1 ? e : null;
            }
            return new Shape(r.header(), end != null ? whole - 1 : whole, body % TraceEvent.BYTES, end);
        } catch (IOException e) {
            throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a trace file record by record, in bounded memory. */
    public static final class Reader implements Closeable {
        private final Path file;
        private final InputStream in;
        private final Map<String, String> header;
        private final byte[] buf = new byte[TraceEvent.BYTES];
        private final ByteBuffer view = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
        private long index;
        private long headerBytes;
        private TraceEvent end;
        private int cutBytes;

        public Reader(Path file) {
            this.file = file;
            try {
                this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            } catch (IOException e) {
                throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
            }
            try {
                byte[] head = in.readNBytes(16);
                if (head.length < 16 || !Arrays.equals(Arrays.copyOf(head, 8), MAGIC)) {
                    throw new TraceException(file + ": not an rsslab trace (wrong magic)");
                }
                ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                int version = h.getInt(8);
                int n = h.getInt(12);
                if (version != VERSION) {
                    throw new TraceException(file + ": trace format version " + Integer.toUnsignedString(version)
                            + "; this rsslab reads version " + VERSION);
                }
                if (n < 0 || n > MAX_HEADER) {
                    throw new TraceException(file + ": a header of " + Integer.toUnsignedString(n)
                            + " bytes (a damaged trace)");
                }
                headerBytes = 16L + n;
                byte[] text = in.readNBytes(n);
                if (text.length < n) {
                    throw new TraceException(file + ": the trace ends inside its header");
                }
                header = new LinkedHashMap<>();
                for (String line : new String(text, StandardCharsets.UTF_8).split("\n")) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        header.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
            } catch (IOException e) {
                close();
                throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
            } catch (TraceException e) {
                close();
                throw e;
            }
        }

        public Map<String, String> header() {
            return header;
        }

        /** Bytes before the first record. */
        public long headerBytes() {
            return headerBytes;
        }

        /** The next call, or null at the end (then see {@link #end()} and {@link #cutBytes()}). */
        public TraceEvent next() {
            if (end != null || cutBytes > 0) {
                return null;
            }
            int got;
            try {
                got = in.readNBytes(buf, 0, buf.length);
            } catch (IOException e) {
                throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
            }
            if (got < buf.length) {
                cutBytes = got;
                return null;
            }
            view.clear();
            TraceEvent e = TraceEvent.read(view);
            index++;
            TraceOp op = e.operation();
            if (op == null) {
                throw new TraceException(file + ": record " + index + ": unknown operation " + e.op()
                        + " (a damaged trace)");
            }
            if (op == TraceOp.END) {
                end = e;
                return null;
            }
            return e;
        }

        /** The END record, or null when the file was cut short. */
        public TraceEvent end() {
            return end;
        }

        /** Bytes of a record the file ends inside (0 when it ends on a whole record). */
        public int cutBytes() {
            return cutBytes;
        }

        /** Records read so far. */
        public long index() {
            return index;
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // read-only: nothing is lost
            }
        }
    }
}
