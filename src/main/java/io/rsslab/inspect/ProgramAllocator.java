package io.rsslab.inspect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An allocator the program runs itself, above or beside malloc: what glibc's
 * books count "in use" (or what lies outside glibc's heaps, in other
 * anonymous memory) may be memory that allocator holds free. rsslab sees
 * only glibc's side; the verdict says which part is the program's.
 */
public enum ProgramAllocator {
    /** Tcl's allocator (tclThreadAlloc.c / tclAlloc.c): objects and strings cached in blocks taken with malloc. */
    TCL,
    /** CPython's pymalloc (Objects/obmalloc.c): objects up to 512 bytes, in arenas it mmaps itself. */
    PYMALLOC,
    /** V8's heap (node): JavaScript objects in memory V8 maps itself. */
    V8,
    /** The JVM's Java heap: mapped by the JVM, its free space the garbage collector's. */
    JAVA_HEAP,
    /** Go's runtime heap (a cgo program): mapped by the runtime, returned by its scavenger. */
    GO;

    /** The Go linker's build-info magic (runtime/debug, cmd/go: "\xff Go buildinf:"), found in the executable. */
    private static final byte[] GO_MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);

    /** The program allocators a process with these mapped files (and this executable) runs. */
    static List<ProgramAllocator> detect(long pid, List<String> files) {
        List<ProgramAllocator> found = new ArrayList<>();
        String exe = files.isEmpty() ? "" : name(files.get(0));
        if (files.stream().anyMatch(f -> name(f).startsWith("libtcl"))) {
            found.add(TCL);
        }
        if (exe.matches("python[0-9.]*") || files.stream().anyMatch(f -> name(f).startsWith("libpython"))) {
            found.add(PYMALLOC);
        }
        if (exe.equals("node") || exe.equals("nodejs")
                || files.stream().anyMatch(f -> name(f).startsWith("libnode") || name(f).startsWith("libv8"))) {
            found.add(V8);
        }
        if (files.stream().anyMatch(f -> f.endsWith("/libjvm.so"))) {
            found.add(JAVA_HEAP);
        }
        if (goBinary(Path.of("/proc", Long.toString(pid), "exe"))) {
            found.add(GO);
        }
        return List.copyOf(found);
    }

    private static String name(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** Whether the executable carries Go's build info (read in 1 MiB pieces, the first 512 MiB at most). */
    static boolean goBinary(Path exe) {
        byte[] buf = new byte[1 << 20];
        int keep = GO_MAGIC.length - 1;
        try (InputStream in = Files.newInputStream(exe)) {
            int have = 0;
            for (long read = 0; read < 512L << 20;) {
                int n = in.read(buf, have, buf.length - have);
                if (n < 0) {
                    return false;
                }
                read += n;
                int end = have + n;
                for (int i = 0; i + GO_MAGIC.length <= end; i++) {
                    if (buf[i] == GO_MAGIC[0] && matches(buf, i)) {
                        return true;
                    }
                }
                // Keep the tail, in case the magic straddles two pieces.
                int from = Math.max(0, end - keep);
                System.arraycopy(buf, from, buf, 0, end - from);
                have = end - from;
            }
        } catch (IOException e) {
            // Not readable (another user's, gone): not known to be Go.
        }
        return false;
    }

    private static boolean matches(byte[] buf, int at) {
        for (int j = 1; j < GO_MAGIC.length; j++) {
            if (buf[at + j] != GO_MAGIC[j]) {
                return false;
            }
        }
        return true;
    }

    /** What this allocator means for the ledger's figures: what rsslab can and cannot see there. */
    public String explain(long inUseKb, long otherAnonKb) {
        return switch (this) {
            case TCL -> String.format(Locale.ROOT, "Tcl runs its own allocator inside glibc's chunks (its caches of "
                    + "objects and strings, in blocks it took with malloc): of the %.1f MiB glibc counts in use, what "
                    + "Tcl holds free is not visible to rsslab, and neither malloc_trim nor a glibc setting reaches it",
                    inUseKb / 1024.0);
            case PYMALLOC -> String.format(Locale.ROOT, "CPython's pymalloc serves objects of up to 512 bytes from "
                    + "arenas it maps itself (1 MiB since 3.10, 256 KiB before): they are in the %.1f MiB of other "
                    + "anonymous memory, not in glibc's heaps; what pymalloc holds free there is not visible to rsslab "
                    + "(it unmaps an arena only when every pool in it is empty)", otherAnonKb / 1024.0);
            case V8 -> String.format(Locale.ROOT, "V8 maps its JavaScript heap itself: it is in the %.1f MiB of other "
                    + "anonymous memory, and what it holds free is its garbage collector's to give back, not glibc's; "
                    + "glibc's heaps hold node's native memory (Buffers among it)", otherAnonKb / 1024.0);
            case JAVA_HEAP -> String.format(Locale.ROOT, "the JVM maps its Java heap itself: it is in the %.1f MiB of "
                    + "other anonymous memory, and its free space is the garbage collector's (-Xmx, MaxHeapFreeRatio), "
                    + "not glibc's; rsslab reads the JVM's native memory only (NMT: -XX:NativeMemoryTracking=summary)",
                    otherAnonKb / 1024.0);
            case GO -> String.format(Locale.ROOT, "Go's runtime maps its own heap: it is in the %.1f MiB of other "
                    + "anonymous memory, returned by the runtime's scavenger (debug.FreeOSMemory), not glibc's; "
                    + "glibc's heaps hold only cgo's mallocs", otherAnonKb / 1024.0);
        };
    }
}
