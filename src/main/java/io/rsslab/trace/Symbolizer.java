package io.rsslab.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.rsslab.machine.ExternalCommand;

/**
 * Return addresses of a trace's stacks as "function file:line" where the images' symbols or debug files say,
 * else "image+0xoffset", never dropped. Resolved by llvm-symbolizer (one run per image, the addresses on its
 * stdin): it finds the debug files by build id under /usr/lib/debug/.build-id itself and falls back to the
 * image's own symbol tables (python3's exported API without its debug package). Chosen over binutils addr2line,
 * which needs the debug file's path given and names nothing in a stripped image from its dynamic symbols:
 * 300 addresses of libc 0.68 s with addr2line on the debug file, 0.82-0.86 s with llvm-symbolizer (this machine,
 * loaded). A return address is looked up less one byte, so that the line is the call's, not the next one's.
 */
public final class Symbolizer {

    static final String TOOL = "llvm-symbolizer";
    private static final Duration LIMIT = Duration.ofSeconds(120);
    private static final int BATCH = 2000;

    private final List<TraceImage> images;
    private final Map<Long, String> names = new HashMap<>();

    public Symbolizer(List<TraceImage> images) {
        this.images = images;
    }

    /** Resolves every address given (once each: later calls are answered from what was resolved). */
    public void resolve(Iterable<Long> pcs) {
        Map<TraceImage, List<Long>> byImage = new LinkedHashMap<>();
        for (long pc : pcs) {
            if (names.containsKey(pc)) {
                continue;
            }
            TraceImage im = TraceImage.holding(images, pc);
            if (im == null) {
                names.put(pc, "0x" + Long.toHexString(pc));
            } else {
                byImage.computeIfAbsent(im, k -> new ArrayList<>()).add(pc);
            }
        }
        byImage.forEach(this::run);
    }

    /** The name of pc: resolved, or image+offset. */
    public String name(long pc) {
        String n = names.get(pc);
        if (n != null) {
            return n;
        }
        resolve(List.of(pc));
        return names.get(pc);
    }

    private static String bare(TraceImage im, long pc) {
        String file = im.path().isEmpty() ? "?" : Path.of(im.path()).getFileName().toString();
        return file + "+0x" + Long.toHexString(im.offset(pc));
    }

    private void run(TraceImage im, List<Long> pcs) {
        for (long pc : pcs) {
            names.put(pc, bare(im, pc));
        }
        if (im.path().isEmpty() || im.path().startsWith("linux-vdso") || !Files.isRegularFile(Path.of(im.path()))) {
            return; // another machine's image, or the vDSO: image+offset
        }
        for (int from = 0; from < pcs.size(); from += BATCH) {
            List<Long> part = pcs.subList(from, Math.min(pcs.size(), from + BATCH));
            List<String> cmd = new ArrayList<>(List.of(TOOL, "--obj=" + im.path(), "--no-inlines",
                    "--functions=linkage", "--demangle"));
            for (long pc : part) {
                cmd.add("0x" + Long.toHexString(im.offset(pc) - 1));
            }
            String[] lines;
            try {
                lines = ExternalCommand.run(cmd, Map.of(), LIMIT, TOOL).out().split("\n", -1);
            } catch (IOException e) {
                return; // no llvm-symbolizer, or it hung: image+offset
            }
            // Per address: the function, then file:line:column, then a blank line.
            for (int k = 0; k < part.size() && 3 * k + 1 < lines.length; k++) {
                String function = lines[3 * k];
                String where = lines[3 * k + 1];
                if (!function.equals("??") && !function.isEmpty()) {
                    names.put(part.get(k), function + (where.startsWith("??") ? "" : " " + shortFile(where)));
                }
            }
        }
    }

    /** "./malloc/malloc.c:3287:7" as malloc.c:3287; a file:0 line as the file alone. */
    private static String shortFile(String where) {
        String[] f = where.split(":");
        String file = Path.of(f[0]).getFileName().toString();
        return f.length > 1 && !f[1].equals("0") ? file + ":" + f[1] : file;
    }
}
