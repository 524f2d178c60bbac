package io.rsslab.fork;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Drains a child's stream on its own thread so the child never blocks on a
 * full pipe, keeping only the last lines for a failure report.
 */
final class StreamTail {

    private static final int MAX_LINE = 500;

    private final Deque<String> lines = new ArrayDeque<>();
    private final int keep;
    private final Thread thread;

    StreamTail(InputStream in, int keep, String threadName) {
        this.keep = keep;
        this.thread = new Thread(() -> drain(in), threadName);
        thread.setDaemon(true);
        thread.start();
    }

    private void drain(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                add(line.length() > MAX_LINE ? line.substring(0, MAX_LINE) + "..." : line);
            }
        } catch (IOException e) {
            add("(stream closed: " + e.getMessage() + ")");
        }
    }

    private synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > keep) {
            lines.removeFirst();
        }
    }

    /** The last lines, after waiting briefly for the stream to end. */
    List<String> tail() {
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            return List.copyOf(lines);
        }
    }
}
