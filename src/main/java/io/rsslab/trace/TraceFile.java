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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace file `rsslab record` writes: self-describing, in call order.
 *
 * <pre>
 *   "RSSLABTR", u32 version (4; 1 to 3 still read), u32 n, n bytes of UTF-8 "key=value" lines
 *   (format, glibc, command, start, pid, parent_pid, forked, record_bytes; version 4: stacks, stack_count and
 *   image.N, {@link TraceImage}),
 *   version 4: u64 s, s bytes of the stack table (per stack: u32 id, u32 depth, depth u64 return addresses,
 *   innermost first; ids 1, 2, ... in order),
 *   records (TraceEvent, 48 bytes each, little-endian) in sequence order
 *   (version 2: the program's own VmRSS among them, TraceOp.RSS, no call;
 *   version 3: where its exit began, TraceOp.EXIT_BEGIN, and each thread's arena, TraceOp.ARENA;
 *   version 4: TraceOp.STACK right after a call, same thread and seq, aux its stack id),
 *   one END record: seq = the number of records before it, time = the last
 *   record's, ptr = the peak of live bytes requested, size = the threads,
 *   aux = calls the recorder lost, flags = 1 when every call was written
 *   (the process ended through exit() or execve, or it was a fork, which
 *   writes each call at once).
 * </pre>
 *
 * A file without the END record was cut short; {@link Reader} reads it up to
 * its last whole record and says so. No record is trusted: the reader refuses,
 * with its number, an unknown operation, a thread number the replayer cannot
 * host, a sequence number not above the previous one, an END record that does
 * not count the records before it (a zeroed record reads as END with seq 0)
 * and anything after END.
 */
public final class TraceFile {

    static final byte[] MAGIC = "RSSLABTR".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 4;
    /** The first version with a stack table after the header. */
    static final int STACKS_VERSION = 4;
    /** A stack table larger than this is refused (2^19 stacks of the full depth, the recorder's own limit). */
    private static final long MAX_STACK_TABLE = (1L << 19) * (8 + 8L * RawTrace.STACK_DEPTH);
    /** The oldest version this rsslab reads (1: no RSS records). */
    static final int OLDEST_VERSION = 1;
    /** = MAX_THREADS in src/main/c/replay.c. */
    static final int MAX_THREADS = 65536;
    /** END's flags: all the process's calls were written (exit(), execve, or a fork writing through). */
    public static final int ENDED = 1;
    private static final int MAX_HEADER = 1 << 20;

    private TraceFile() {
    }

    /** What a merge found, also in the END record; records counts the RSS samples too (rssSamples of them). */
    public record Summary(long records, long peakLiveBytes, int threads, long lost, boolean ended, long cutBytes,
            long unknownFrees, long lastTimeNs, long rssSamples) {

        /** The malloc-family calls (and thread ends) among the records. */
        public long calls() {
            return records - rssSamples;
        }
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
        writeStacks(raw.stacks(), o);
        ByteBuffer rec = ByteBuffer.allocate(TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        LiveBytes live = new LiveBytes();
        long[] stats = new long[2]; // records, last time
        long[] samples = new long[1];
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
            stats[1] = e.timeNs();
            samples[0] += e.operation() != null && !e.operation().isCall() ? 1 : 0;
            live.add(e);
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        Summary s = new Summary(stats[0], live.peak(), raw.threads(), raw.lost(),
                (raw.ended() || raw.forked()) && raw.cutBytes() == 0, raw.cutBytes(), live.unknownFrees(), stats[1],
                samples[0]);
        rec.clear();
        new TraceEvent(s.records(), s.lastTimeNs(), s.peakLiveBytes(), s.threads(), s.lost(), 0, TraceOp.END.code(),
                s.ended() ? ENDED : 0).write(rec);
        o.write(rec.array());
        o.flush();
        return s;
    }

    private static void writeStacks(java.util.List<long[]> stacks, OutputStream o) throws IOException {
        long bytes = 0;
        for (long[] s : stacks) {
            bytes += 8 + 8L * s.length;
        }
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 8 * RawTrace.STACK_DEPTH).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(bytes);
        o.write(b.array(), 0, 8);
        for (int i = 0; i < stacks.size(); i++) {
            b.clear();
            b.putInt(i + 1).putInt(stacks.get(i).length);
            for (long pc : stacks.get(i)) {
                b.putLong(pc);
            }
            o.write(b.array(), 0, b.position());
        }
    }

    /**
     * What a trace holds, from its header, its length and its last record
     * (nothing in between is read): the calls, the bytes of a record it ends
     * inside, and its END record (null when it was cut short).
     */
    public record Shape(Map<String, String> header, long calls, long cutBytes, TraceEvent end) {

        /**
         * Why the trace does not hold all the program's calls (it was cut short,
         * or the program crashed, was killed or ended in _exit(): no exit flush),
         * or null when it holds them all.
         */
        public String incomplete() {
            if (end == null) {
                return "incomplete: the trace ends " + (cutBytes > 0 ? "inside a record" : "without its END record")
                        + " (the file was cut short)";
            }
            if ((end.flags() & ENDED) == 0) {
                return "incomplete: the program did not end through exit() or execve (it crashed, was killed or "
                        + "called _exit()), so the calls still in its buffers are not in the trace";
            }
            return null;
        }
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
        private long lastSeq;
        private int lastThread;
        private boolean lastWasCall;
        private final java.util.List<long[]> stacks = new java.util.ArrayList<>();

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
                if (version < OLDEST_VERSION || version > VERSION) {
                    throw new TraceException(file + ": trace format version " + Integer.toUnsignedString(version)
                            + "; this rsslab reads versions " + OLDEST_VERSION + " to " + VERSION);
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
                if (version >= STACKS_VERSION) {
                    headerBytes += 8 + readStacks();
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

        /** The stack table (version 4): ids 1, 2, ... each checked, innermost address first; the bytes it took. */
        private long readStacks() throws IOException {
            byte[] len = in.readNBytes(8);
            if (len.length < 8) {
                throw new TraceException(file + ": the trace ends before its stack table");
            }
            long bytes = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (bytes < 0 || bytes > MAX_STACK_TABLE) {
                throw new TraceException(file + ": a stack table of " + Long.toUnsignedString(bytes)
                        + " bytes (a damaged stack table)");
            }
            ByteBuffer t = ByteBuffer.wrap(in.readNBytes((int) bytes)).order(ByteOrder.LITTLE_ENDIAN);
            if (t.capacity() < bytes) {
                throw new TraceException(file + ": the trace ends inside its stack table");
            }
            while (t.hasRemaining()) {
                int entry = stacks.size() + 1;
                if (t.remaining() < 8) {
                    throw new TraceException(file + ": stack table entry " + entry + ": cut short (a damaged stack "
                            + "table)");
                }
                long id = Integer.toUnsignedLong(t.getInt());
                long depth = Integer.toUnsignedLong(t.getInt());
                if (id != entry || depth < 1 || depth > RawTrace.STACK_DEPTH || depth * 8 > t.remaining()) {
                    throw new TraceException(file + ": stack table entry " + entry + ": id " + id + ", depth " + depth
                            + " (a damaged stack table)");
                }
                long[] pcs = new long[(int) depth];
                for (int i = 0; i < depth; i++) {
                    pcs[i] = t.getLong();
                }
                stacks.add(pcs);
            }
            return bytes;
        }

        /** The stack table (empty before version 4): stack id i + 1 at index i, innermost return address first. */
        public java.util.List<long[]> stacks() {
            return stacks;
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
                throw damaged(index, "unknown operation " + e.op() + " (a damaged trace)");
            }
            if (op == TraceOp.END) {
                if (e.seq() != index - 1) {
                    throw damaged(index, "a zeroed or damaged record (an END record that does not count the "
                            + (index - 1) + " records before it)");
                }
                int more;
                try {
                    more = in.read();
                } catch (IOException x) {
                    throw new TraceException("cannot read " + file + ": " + x.getMessage(), x);
                }
                if (more >= 0) {
                    throw damaged(index + 1, "records after the END record (a damaged trace)");
                }
                end = e;
                return null;
            }
            if (Integer.toUnsignedLong(e.thread()) >= MAX_THREADS) {
                throw damaged(index, "a thread number above " + (MAX_THREADS - 1) + " (a damaged trace)");
            }
            if (op == TraceOp.STACK) {
                if (!lastWasCall || e.seq() != lastSeq || e.thread() != lastThread) {
                    throw damaged(index, "a stack record not right after its call (a damaged trace)");
                }
                if (e.aux() < 1 || e.aux() > stacks.size()) {
                    throw damaged(index, "stack " + Long.toUnsignedString(e.aux()) + ", not in the trace's stack "
                            + "table of " + stacks.size() + " (a damaged stack table)");
                }
            } else if (index > 1 && Long.compareUnsigned(e.seq(), lastSeq) <= 0) {
                throw damaged(index, "a sequence number not above the previous record's (a damaged or reordered "
                        + "trace)");
            }
            lastSeq = e.seq();
            lastThread = e.thread();
            lastWasCall = op.isCall() && op != TraceOp.THREAD_EXIT;
            return e;
        }

        private TraceException damaged(long record, String why) {
            return new TraceException(file + ": record " + record + ": " + why);
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
