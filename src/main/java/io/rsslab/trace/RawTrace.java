package io.rsslab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * One process image's raw file as librsslab-record.so wrote it
 * (src/main/c/trace_format.h: a header, then blocks of one thread's records
 * each, in the order the threads' buffers filled). {@link #merge} hands the
 * records on in the order of their sequence numbers, reading each thread's
 * blocks in turn: memory grows with the number of blocks, never with the
 * records.
 */
public final class RawTrace {

    static final byte[] MAGIC = "RSSLABRW".getBytes(StandardCharsets.US_ASCII);
    /** 2: TRACE_RSS records; 3: TRACE_EXIT_BEGIN and TRACE_ARENA; 4: stacks and images. */
    static final int VERSION = 4;
    static final int HEADER_BYTES = 48;
    static final int BLOCK_MAGIC = 0x4b4c4252;
    static final int END_THREAD = 0xffffffff;
    static final int STACK_THREAD = 0xfffffffe;
    static final int IMAGES_THREAD = 0xfffffffd;
    /** = TRACE_STACK_DEPTH. */
    public static final int STACK_DEPTH = 16;
    private static final int BLOCK_HEADER_BYTES = 16;
    private static final int READ_RECORDS = 256;

    private final Path file;
    private final int pid;
    private final int parentPid;
    private final long startRealtimeNs;
    private final boolean forked;
    private final long timeResolutionNs;
    private final boolean ended;
    private final boolean execed;
    private final long lost;
    private final long wholeRecords;
    private final long cutBytes;
    /** per thread number: offsets and record counts of its blocks, in file order. */
    private final List<long[]> blocks = new ArrayList<>();
    private final List<Integer> blockCounts = new ArrayList<>();
    private final List<long[]> stacks;
    private final List<Image> images;

    /**
     * A loaded object of the process: bias (its l_addr: an address less the bias is the ELF's own), its
     * executable range in memory [lo, hi), its name as the loader knew it ("" for the program), its build id.
     */
    public record Image(long bias, long lo, long hi, String name, String buildId) {
    }

    private RawTrace(Path file, ByteBuffer header, List<long[]> index, boolean ended, boolean execed, long lost,
            long whole, long cut, List<long[]> stacks, List<Image> images) {
        this.stacks = stacks;
        this.images = images;
        this.execed = execed;
        this.file = file;
        this.pid = header.getInt(12);
        this.parentPid = header.getInt(16);
        this.startRealtimeNs = header.getLong(24);
        this.forked = header.getInt(40) != 0;
        this.timeResolutionNs = Integer.toUnsignedLong(header.getInt(44));
        this.ended = ended;
        this.lost = lost;
        this.wholeRecords = whole;
        this.cutBytes = cut;
        for (long[] b : index) {
            int thread = (int) b[0];
            while (blocks.size() <= thread) {
                blocks.add(new long[0]);
                blockCounts.add(0);
            }
            long[] list = blocks.get(thread);
            int n = blockCounts.get(thread);
            if (n * 2 == list.length) {
                list = Arrays.copyOf(list, Math.max(8, list.length * 2));
                blocks.set(thread, list);
            }
            list[n * 2] = b[1];
            list[n * 2 + 1] = b[2];
            blockCounts.set(thread, n + 1);
        }
    }

    /** Reads the header and the blocks' headers; the records are read by {@link #merge}. */
    public static RawTrace open(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            if (ch.read(header, 0) != HEADER_BYTES || !Arrays.equals(Arrays.copyOf(header.array(), 8), MAGIC)) {
                throw new TraceException(file + ": not a raw trace of librsslab-record.so");
            }
            if (header.getInt(8) != VERSION || header.getInt(20) != TraceEvent.BYTES) {
                throw new TraceException(file + ": raw trace version " + header.getInt(8) + " with "
                        + header.getInt(20) + "-byte records; this rsslab reads version " + VERSION);
            }
            List<long[]> index = new ArrayList<>();
            ByteBuffer bh = ByteBuffer.allocate(BLOCK_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            long at = HEADER_BYTES;
            long whole = 0;
            long cut = 0;
            boolean ended = false;
            boolean execed = false;
            long lost = 0;
            List<long[]> stacks = new ArrayList<>();
            List<Image> images = new ArrayList<>();
            while (at < length) {
                bh.clear();
                if (ch.read(bh, at) != BLOCK_HEADER_BYTES) {
                    cut = length - at;
                    break;
                }
                if (bh.getInt(0) != BLOCK_MAGIC) {
                    throw new TraceException(file + ": byte " + at + ": not a block of records (a damaged raw trace)");
                }
                int thread = bh.getInt(4);
                long count = Integer.toUnsignedLong(bh.getInt(8));
                if (thread == STACK_THREAD || thread == IMAGES_THREAD) {
                    long body = thread == STACK_THREAD ? Integer.toUnsignedLong(bh.getInt(12)) * 8 : count;
                    if (at + BLOCK_HEADER_BYTES + body > length) {
                        cut = length - at;
                        break;
                    }
                    ByteBuffer b = ByteBuffer.allocate((int) body).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, b, at + BLOCK_HEADER_BYTES);
                    if (thread == STACK_THREAD) {
                        addStack(file, at, stacks, count, b);
                    } else {
                        addImages(file, at, images, b);
                    }
                    at += BLOCK_HEADER_BYTES + body;
                    continue;
                }
                if (thread == END_THREAD) {
                    ended = true;
                    execed = count == 1;
                    lost = Integer.toUnsignedLong(bh.getInt(12));
                    at += BLOCK_HEADER_BYTES;
                    continue;
                }
                long body = at + BLOCK_HEADER_BYTES;
                long fits = Math.min(count, (length - body) / TraceEvent.BYTES);
                if (fits > 0) {
                    index.add(new long[] {thread, body, fits});
                    whole += fits;
                }
                if (fits < count) {
                    cut = length - body - fits * TraceEvent.BYTES;
                    break;
                }
                at = body + count * TraceEvent.BYTES;
            }
            return new RawTrace(file, header, index, ended, execed, lost, whole, cut, stacks, images);
        } catch (IOException e) {
            throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long from) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, from + b.position()) < 0) {
                throw new IOException("the file shrank while it was read");
            }
        }
        b.flip();
    }

    /** The recorder numbers its stacks 1, 2, ... and writes each before a record names it. */
    private static void addStack(Path file, long at, List<long[]> stacks, long id, ByteBuffer b) {
        int depth = b.remaining() / 8;
        if (id != stacks.size() + 1 || depth < 1 || depth > STACK_DEPTH) {
            throw new TraceException(file + ": byte " + at + ": stack " + id + " of depth " + depth + " after "
                    + stacks.size() + " stacks (a damaged raw trace)");
        }
        long[] pcs = new long[depth];
        b.asLongBuffer().get(pcs);
        stacks.add(pcs);
    }

    private static void addImages(Path file, long at, List<Image> images, ByteBuffer b) {
        while (b.remaining() >= 32) {
            long bias = b.getLong();
            long lo = b.getLong();
            long hi = b.getLong();
            int name = b.getInt();
            int id = b.getInt();
            if (name < 0 || id < 0 || name + id > b.remaining()) {
                throw new TraceException(file + ": byte " + at + ": a damaged list of images");
            }
            byte[] text = new byte[name];
            b.get(text);
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < id; i++) {
                hex.append(String.format("%02x", b.get()));
            }
            b.position(Math.min(b.limit(), (b.position() + 7) & ~7));
            images.add(new Image(bias, lo, hi, new String(text, StandardCharsets.UTF_8), hex.toString()));
        }
    }

    /** The stack table: stack id i + 1 at index i, return addresses innermost first. */
    public List<long[]> stacks() {
        return stacks;
    }

    /** The images loaded while it ran (empty when it was recorded without stacks). */
    public List<Image> images() {
        return images;
    }

    public int pid() {
        return pid;
    }

    public int parentPid() {
        return parentPid;
    }

    public long startRealtimeNs() {
        return startRealtimeNs;
    }

    /** A fork of a traced process (not an exec'd program). */
    public boolean forked() {
        return forked;
    }

    /** The resolution of the records' timestamps (the recorder's coarse clock). */
    public long timeResolutionNs() {
        return timeResolutionNs;
    }

    /** Did the image end by execve (a new image of the same PID follows), its buffers all written? */
    public boolean execed() {
        return execed;
    }

    /** Did the process end through exit() or execve, its buffers all written? */
    public boolean ended() {
        return ended;
    }

    /** Calls the recorder could not take (after its exit flush, or from a signal handler inside it). */
    public long lost() {
        return lost;
    }

    public long records() {
        return wholeRecords;
    }

    /** Bytes of a block the file ends inside (a full disk, or the process killed mid-write). */
    public long cutBytes() {
        return cutBytes;
    }

    public int threads() {
        int n = 0;
        for (int c : blockCounts) {
            n += c > 0 ? 1 : 0;
        }
        return n;
    }

    /** Every record, in the order of the sequence numbers. */
    public void merge(Consumer<TraceEvent> sink) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            PriorityQueue<Cursor> queue = new PriorityQueue<>((a, b) -> Long.compareUnsigned(a.head.seq(), b.head.seq()));
            for (int t = 0; t < blocks.size(); t++) {
                Cursor c = new Cursor(ch, blocks.get(t), blockCounts.get(t));
                if (c.advance()) {
                    queue.add(c);
                }
            }
            while (!queue.isEmpty()) {
                Cursor c = queue.poll();
                sink.accept(c.head);
                if (c.advance()) {
                    queue.add(c);
                }
            }
        } catch (IOException e) {
            throw new TraceException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** One thread's records, block after block, READ_RECORDS at a time. */
    private static final class Cursor {
        private final FileChannel ch;
        private final long[] blocks;
        private final int count;
        private final ByteBuffer buf = ByteBuffer.allocate(READ_RECORDS * TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private int block;
        private long doneInBlock;
        TraceEvent head;

        Cursor(FileChannel ch, long[] blocks, int count) {
            this.ch = ch;
            this.blocks = blocks;
            this.count = count;
            buf.limit(0);
        }

        boolean advance() throws IOException {
            if (!buf.hasRemaining()) {
                while (block < count && doneInBlock == blocks[block * 2 + 1]) {
                    block++;
                    doneInBlock = 0;
                }
                if (block == count) {
                    return false;
                }
                long n = Math.min(READ_RECORDS, blocks[block * 2 + 1] - doneInBlock);
                buf.clear().limit((int) n * TraceEvent.BYTES);
                long from = blocks[block * 2] + doneInBlock * TraceEvent.BYTES;
                while (buf.hasRemaining()) {
                    if (ch.read(buf, from + buf.position()) < 0) {
                        throw new IOException("the file shrank while it was read");
                    }
                }
                buf.flip();
                doneInBlock += n;
            }
            head = TraceEvent.read(buf);
            return true;
        }
    }
}
