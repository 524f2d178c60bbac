package io.rsslab.plan;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A library for LD_PRELOAD, checked as glibc's loader will check it, so a
 * preload ld.so would ignore ("cannot be preloaded ... ignored") is refused
 * before any child starts: the file exists and is readable; it is ELF,
 * 64-bit, little-endian, for x86-64 (elf/dl-load.c, open_verify); it is a
 * shared object (ET_DYN) and not a position-independent executable, whose
 * DT_FLAGS_1 has DF_1_PIE (_dl_map_object_from_fd, glibc 2.30 and later);
 * no loadable segment lies past the end of the file (a truncated copy);
 * and its real path has no space or colon, on which ld.so splits
 * LD_PRELOAD (elf/rtld.c). The child checks again that it was mapped.
 */
public final class Preloads {

    private static final int ET_DYN = 3;
    private static final int EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_FLAGS_1 = 0x6ffffffbL;
    private static final long DF_1_PIE = 0x08000000L;

    private Preloads() {
    }

    /** The library's real path (how the child's maps will name it); a PlanException says why not. */
    public static String check(Path library) {
        Path real;
        try {
            real = library.toRealPath();
        } catch (IOException e) {
            throw new PlanException("--preload " + library + ": no such file");
        }
        if (!Files.isRegularFile(real) || !Files.isReadable(real)) {
            throw new PlanException("--preload " + library + " is not a readable file");
        }
        String path = real.toString();
        if (path.contains(" ") || path.contains(":")) {
            throw new PlanException("--preload " + path + " has a space or colon in its path, on which LD_PRELOAD "
                    + "is split: link or copy it to a path without");
        }
        String why = notPreloadable(real);
        if (why != null) {
            throw new PlanException("--preload " + path + " cannot be preloaded: " + why);
        }
        return path;
    }

    /** null when glibc's loader would map the file as a preload; else why not. */
    static String notPreloadable(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h == null || h.getInt(0) != 0x464c457f) {
                return "it is not an ELF file";
            }
            if (h.get(4) != 2) {
                return "it is a 32-bit (ELFCLASS32) object, and this is a 64-bit process";
            }
            if (h.get(5) != 1) {
                return "it is big-endian";
            }
            int type = Short.toUnsignedInt(h.getShort(16));
            int machine = Short.toUnsignedInt(h.getShort(18));
            if (machine != EM_X86_64) {
                return "it is for another machine (e_machine " + machine + ", not x86-64)";
            }
            if (type != ET_DYN) {
                return "it is not a shared library (e_type " + type + ")";
            }
            if (truncated(ch, h)) {
                return "it is truncated (a segment lies past the end of the file)";
            }
            return isPie(ch, h) ? "it is a position-independent executable, not a shared library" : null;
        } catch (IOException e) {
            return "it cannot be read (" + e.getMessage() + ")";
        }
    }

    /** Does a PT_LOAD segment end past the end of the file (the loader would fault on it)? */
    private static boolean truncated(FileChannel ch, ByteBuffer h) throws IOException {
        for (ByteBuffer ph : programHeaders(ch, h)) {
            if (ph == null || ph.getInt(0) == PT_LOAD
                    && Long.compareUnsigned(ph.getLong(8) + ph.getLong(32), ch.size()) > 0) {
                return true;
            }
        }
        return false;
    }

    /** DT_FLAGS_1 & DF_1_PIE in the PT_DYNAMIC segment. */
    private static boolean isPie(FileChannel ch, ByteBuffer h) throws IOException {
        for (ByteBuffer ph : programHeaders(ch, h)) {
            if (ph == null || ph.getInt(0) != PT_DYNAMIC) {
                continue;
            }
            long off = ph.getLong(8);
            long size = Math.min(ph.getLong(32), 1 << 20);
            ByteBuffer dyn = read(ch, off, (int) size);
            for (int d = 0; dyn != null && d + 16 <= size; d += 16) {
                long tag = dyn.getLong(d);
                if (tag == 0) {
                    break;
                }
                if (tag == DT_FLAGS_1) {
                    return (dyn.getLong(d + 8) & DF_1_PIE) != 0;
                }
            }
        }
        return false;
    }

    /** The program headers (null for one past the end of the file). */
    private static List<ByteBuffer> programHeaders(FileChannel ch, ByteBuffer h) throws IOException {
        long phoff = h.getLong(32);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        List<ByteBuffer> out = new ArrayList<>();
        for (int i = 0; i < phnum && phentsize >= 56; i++) {
            out.add(read(ch, phoff + (long) i * phentsize, 56));
        }
        return out;
    }

    /** length bytes at offset, little-endian, or null past the end of the file. */
    private static ByteBuffer read(FileChannel ch, long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                return null;
            }
        }
        return b.flip();
    }
}
