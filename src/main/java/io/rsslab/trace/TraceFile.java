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

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * The trace file `rsslab record` writes: self-describing, in call order.
 *
 * <pre>
 *   "RSSLABTR", u32 version (4; 1 to 3 still read), u32 n, n bytes of UTF-8 "key=value" lines
 *   (format, glibc, command, start, pid, parent_pid, forked, record_bytes; version 4: stacks, stack_count and
 *   image.N, {@link TraceImage}),
 *   version 4: u64 s, s bytes of the stack table (per stack: u32 id, u32 depth, depth u64 return addresses,
 *   innermost first; ids 1, 2, ... in order),
 *   records (TraceEvent, 48 bytes each, little-endian; version 5: compact, {@link TraceCodec}, in zstd frames to
 *   the file's end) in sequence order
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
    public static final int VERSION = 5;
    /** The last version whose body is 48-byte records as they are (TRACE_RECORDS_VERSION); tests and replay's
     * comparison still write it. */
    public static final int RECORDS_VERSION = 4;
    /** The first version whose body is compact records in zstd frames ({@link TraceCodec}). */
    static final int COMPRESSED_VERSION = 5;
    /** zstd's level for the body: measured in docs/performance.md, "Issue 29", "### Traces". */
    static final int ZSTD_LEVEL = 3;
    /** A 128 KiB window (level 3's own is 2 MiB): the replayer's decoder holds one window, its RSS is measured;
     * the loop's body 2% larger for it (docs/performance.md). */
    static final int ZSTD_WINDOW_LOG = 17;
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
        try (Body o = new Body(out, header, raw.stacks(), VERSION)) {
            return write(raw, o);
        }
    }

    private static Summary write(RawTrace raw, Body o) throws IOException {
        LiveBytes live = new LiveBytes();
        long[] stats = new long[2]; // records, last time
        long[] samples = new long[1];
        IOException[] failed = new IOException[1];
        raw.merge(e -> {
            if (failed[0] != null) {
                return;
            }
            try {
                o.write(e);
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
        o.write(new TraceEvent(s.records(), s.lastTimeNs(), s.peakLiveBytes(), s.threads(), s.lost(), 0,
                TraceOp.END.code(), s.ended() ? ENDED : 0));
        o.finish();
        return s;
    }

    /** A trace file being written: its header and stack table at once, then its records, END last. */
    static final class Body implements java.io.Closeable {
        private final BufferedOutputStream file;
        private final OutputStream body;
        private final TraceCodec.Out compact;
        private final ByteBuffer rec = ByteBuffer.allocate(TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);

        Body(OutputStream out, Map<String, String> header, java.util.List<long[]> stacks, int version)
                throws IOException {
            if (version < STACKS_VERSION || version > VERSION) {
                throw new IllegalArgumentException("writes versions " + STACKS_VERSION + " to " + VERSION);
            }
            file = new BufferedOutputStream(out, 1 << 16);
            StringBuilder text = new StringBuilder();
            header.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            ByteBuffer head = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            head.put(MAGIC).putInt(version).putInt(bytes.length);
            file.write(head.array());
            file.write(bytes);
            writeStacks(stacks, file);
            if (version >= COMPRESSED_VERSION) {
                ZstdOutputStream z = new ZstdOutputStream(new NoClose(file), ZSTD_LEVEL);
                z.setChecksum(true);
                z.setWindowLog(ZSTD_WINDOW_LOG);
                body = new BackgroundOutput(z, "rsslab-trace-zstd");
                compact = new TraceCodec.Out(body);
            } else {
                body = file;
                compact = null;
            }
        }

        void write(TraceEvent e) throws IOException {
            if (compact != null) {
                compact.write(e);
            } else {
                rec.clear();
                e.write(rec);
                file.write(rec.array());
            }
        }

        /** Writes what is buffered and ends the zstd frame; the stream given stays open. */
        void finish() throws IOException {
            if (compact != null) {
                compact.flush();
                body.close();
            }
            file.flush();
        }

        /** Ends the compressing thread, if finish did not (a body given up); the stream given stays open. */
        @Override
        public void close() throws IOException {
            if (compact != null) {
                body.close(); // once only: BackgroundOutput's close does nothing the second time
            }
        }
    }

    /** Closing the zstd stream ends its frame, not the file under it (the caller closes that). */
    private static final class NoClose extends java.io.FilterOutputStream {
        NoClose(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /**
     * Writes the trace in {@code from} again as version {@code version} (4: 48-byte records; 5: compact), every
     * record as it reads: the same calls in either layout, for comparing them (replay's results, sizes, times).
     */
    public static void rewrite(Path from, Path to, int version) throws IOException {
        try (Reader r = new Reader(from); OutputStream os = Files.newOutputStream(to,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            Map<String, String> header = new LinkedHashMap<>(r.header());
            header.replace("format", "rsslab-trace " + version);
            try (Body o = new Body(os, header, r.stacks(), version)) {
                for (TraceEvent e = r.next(); e != null; e = r.next()) {
                    o.write(e);
                }
                if (r.end() == null) {
                    throw new TraceException(from + ": not a whole trace (cut short), not rewritten");
                }
                o.write(r.end());
                o.finish();
            }
        }
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
            if (r.compressed()) {
                // No record sits at a known offset in a compressed body: read them all (each checked).
                while (r.next() != null) {
                    // counted by the reader
                }
                return new Shape(r.header(), r.end() != null ? r.index() - 1 : r.index(), r.cutBytes(), r.end());
            }
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
        private InputStream in;
        private final Map<String, String> header;
        private TraceCodec codec;
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
                if (version >= COMPRESSED_VERSION) {
                    in = new BufferedInputStream(new ZstdInputStream(in), 1 << 16);
                    codec = new TraceCodec();
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

        /** Version 5: the records are compact, in zstd frames (no record at a fixed offset). */
        public boolean compressed() {
            return codec != null;
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
            TraceEvent e;
            if (codec != null) {
                e = decode();
                if (e == null) {
                    return null;
                }
            } else {
                int got;
                try {
                    got = in.readNBytes(buf, 0, buf.length);
                } catch (IOException x) {
                    throw new TraceException("cannot read " + file + ": " + x.getMessage(), x);
                }
                if (got < buf.length) {
                    cutBytes = got;
                    return null;
                }
                view.clear();
                e = TraceEvent.read(view);
            }
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
                    throw compressedFailure(index + 1, x);
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

        /** Version 5's next record; null when the body ends (cut short: cutBytes set). */
        private TraceEvent decode() {
            try {
                TraceEvent e = codec.decode(in);
                if (e == null) {
                    cutBytes = 0;
                }
                return e;
            } catch (TraceCodec.Damaged d) {
                if (d.cut) {
                    cutBytes = Math.max(1, d.bytes);
                    return null;
                }
                throw damaged(index + 1, d.getMessage());
            } catch (IOException x) {
                if (truncated(x)) {
                    cutBytes = 1; // inside a zstd frame: how many bytes of the record are unknown
                    return null;
                }
                throw compressedFailure(index + 1, x);
            }
        }

        private static boolean truncated(IOException x) {
            return String.valueOf(x.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("truncated");
        }

        /** zstd refused the body (a damaged frame, a checksum that differs, a frame cut short). */
        private TraceException compressedFailure(long record, IOException x) {
            String m = String.valueOf(x.getMessage());
            if (m.toLowerCase(java.util.Locale.ROOT).contains("truncated")) {
                return damaged(record, "the trace ends inside its compressed body (cut short)");
            }
            return damaged(record, "a damaged compressed body (zstd: " + m + ")");
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
