package io.rsslab.fork;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import io.rsslab.nativelib.NativeLoader;

/**
 * The memory of a process tree from /proc: VmRSS and RssAnon of each process
 * below the reaper, summed (a process that ends while it is read is skipped).
 * The tree is followed through /proc/PID/task/TID/children, so a sample reads
 * the tree's own files only, not every process on the machine.
 */
final class TreeSample {

    private static final byte[] VMRSS = "VmRSS:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RSSANON = "RssAnon:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] THREADS = "Threads:".getBytes(StandardCharsets.US_ASCII);

    /** One buffer per sampling thread: /proc/PID/status is about 1.5 kB. */
    private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8192));

    private TreeSample() {
    }

    static CommandRunner.Sample of(ProcessHandle reaper, double seconds) {
        long rss = 0;
        long anon = 0;
        int n = 0;
        // The reaper (src/main/c/reap.c) is single-threaded: its one children file, no listing of its tasks.
        Deque<Long> todo = childrenOf(reaper.pid(), reaper.pid());
        while (!todo.isEmpty()) {
            long pid = todo.pop();
            long[] r = status(pid);
            if (r != null) {
                rss += r[0];
                anon += r[1];
                n++;
            }
            // One thread (most processes): its children file alone, no listing of its tasks (half a sample's CPU).
            todo.addAll(r != null && r[2] == 1 ? childrenOf(pid, pid) : children(pid));
        }
        return new CommandRunner.Sample(seconds, rss, anon, n);
    }

    /** The children of one thread (/proc/PID/task/TID/children); none when it has ended. */
    private static Deque<Long> childrenOf(long pid, long tid) {
        Deque<Long> out = new ArrayDeque<>();
        ByteBuffer buf = BUFFER.get();
        buf.clear();
        try (FileChannel ch = FileChannel.open(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid),
                "children"), StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // Read to its end (or the buffer's: 8 kB, over a thousand children).
            }
        } catch (IOException e) {
            return out;
        }
        byte[] a = buf.array();
        long v = -1;
        for (int i = 0; i < buf.position(); i++) {
            if (a[i] >= '0' && a[i] <= '9') {
                v = (v < 0 ? 0 : v * 10) + (a[i] - '0');
            } else if (v >= 0) {
                out.add(v);
                v = -1;
            }
        }
        if (v >= 0) {
            out.add(v);
        }
        return out;
    }

    /** The children of every thread of pid (/proc/PID/task/TID/children). */
    static Deque<Long> children(long pid) {
        Deque<Long> out = new ArrayDeque<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String text = read(task.resolve("children"));
                if (text == null) {
                    continue;
                }
                for (String c : text.trim().split(" ")) {
                    if (!c.isEmpty()) {
                        out.add(Long.parseLong(c));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process ended while it was read.
        }
        return out;
    }

    /** VmRSS and RssAnon of pid, kB, and its threads; null if it has ended (or is a zombie, which has no VmRSS). */
    static long[] status(long pid) {
        ByteBuffer buf = BUFFER.get();
        buf.clear();
        try (FileChannel ch = FileChannel.open(Path.of("/proc", Long.toString(pid), "status"), StandardOpenOption.READ)) {
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // Read to its end (or the buffer's).
            }
        } catch (IOException e) {
            return null;
        }
        long rss = field(buf, VMRSS);
        return rss < 0 ? null : new long[] {rss, Math.max(0, field(buf, RSSANON)), field(buf, THREADS)};
    }

    /** The number after name in the buffer, or -1. */
    private static long field(ByteBuffer buf, byte[] name) {
        byte[] a = buf.array();
        int end = buf.position();
        outer:
        for (int i = 0; i + name.length < end; i++) {
            for (int j = 0; j < name.length; j++) {
                if (a[i + j] != name[j]) {
                    continue outer;
                }
            }
            int k = i + name.length;
            while (k < end && (a[k] == ' ' || a[k] == '\t')) {
                k++;
            }
            long v = 0;
            boolean digits = false;
            while (k < end && a[k] >= '0' && a[k] <= '9') {
                v = v * 10 + (a[k++] - '0');
                digits = true;
            }
            return digits ? v : -1;
        }
        return -1;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return null;
        }
    }

    /** The command itself: the reaper's child, or 0. */
    static long mainChild(ProcessHandle reaper) {
        Deque<Long> c = childrenOf(reaper.pid(), reaper.pid());
        return c.isEmpty() ? 0 : c.peekFirst();
    }

    /** Has the reaper's child become the command (its executable is no longer the probe)? */
    static boolean execed(long pid) {
        try {
            return !Path.of("/proc", Long.toString(pid), "exe").toRealPath().getFileName().toString()
                    .equals(NativeLoader.PROBE);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether ld.so loaded a preload into an exec'd process, as far as its maps tell yet. */
    enum Preload { LOADED, MISSING, UNDECIDED }

    /**
     * ld.so maps the preloads before the program's DT_NEEDED libraries (elf/rtld.c), so a process that maps
     * libc.so.6 but not the preload runs without it, and one without an interpreter (a static binary) never
     * gets it; one that maps ld.so alone is still being loaded (seen under load: try's first sample landed
     * there and called a loaded preload missing).
     */
    static Preload preload(long pid, String file) {
        List<String> maps;
        try {
            maps = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"));
        } catch (IOException e) {
            return Preload.LOADED; // gone, or not ours to read: no verdict against it
        }
        if (maps.stream().anyMatch(l -> l.endsWith(" " + file))) {
            return Preload.LOADED;
        }
        boolean interpreter = maps.stream().anyMatch(l -> l.contains("/ld-linux"));
        boolean libc = maps.stream().anyMatch(l -> l.matches(".*/libc\\.so\\.6$|.*/libc-2\\.[0-9]+\\.so$"));
        return !interpreter || libc ? Preload.MISSING : Preload.UNDECIDED;
    }
}
