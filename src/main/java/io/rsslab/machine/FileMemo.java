package io.rsslab.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was learnt from a file's content, kept while the file is the same one: its device and inode, its
 * modification time and size (a package upgrade replaces the file: a new inode). A long-running command (watch)
 * asks this instead of reading a target's libc.so.6 again, or starting its java again, at every walk. The key is
 * the file itself, not its path or the process: every process that maps the same file shares one entry, whichever
 * /proc/PID/root it is reached through, and a container's own file has its own. Bounded: the least recently used
 * entry goes first.
 */
public final class FileMemo<V> {

    private record Identity(Object fileKey, FileTime modified, long size) {
    }

    private final int capacity;
    private final Map<Identity, V> entries;

    public FileMemo(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true);
    }

    /** A value to compute from the file; its exception is the caller's. */
    public interface Source<V, E extends Exception> {
        V read(Path file) throws E;
    }

    /**
     * The value known for file as it is now, or read and kept. The identity is taken before the read, so a file
     * replaced during it is read again next time. A file whose identity cannot be read is read every time.
     */
    public <E extends Exception> V get(Path file, Source<V, E> source) throws E {
        Identity id;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            id = a.fileKey() == null ? null : new Identity(a.fileKey(), a.lastModifiedTime(), a.size());
        } catch (IOException e) {
            id = null;
        }
        synchronized (entries) {
            V known = id == null ? null : entries.get(id);
            if (known != null) {
                return known;
            }
        }
        V v = source.read(file);
        if (id != null && v != null) {
            synchronized (entries) {
                entries.put(id, v);
                if (entries.size() > capacity) {
                    entries.remove(entries.keySet().iterator().next());
                }
            }
        }
        return v;
    }
}
