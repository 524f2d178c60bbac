package io.rsslab.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The images of a version-4 trace's header, one "image.N=lo-hi bias build-id path" line each (hex; build id
 * "-" when the image has none; path "" for the main program as the loader names it), and the image that holds
 * an address.
 */
public record TraceImage(long lo, long hi, long bias, String buildId, String path) {

    static String line(RawTrace.Image im) {
        return Long.toHexString(im.lo()) + "-" + Long.toHexString(im.hi()) + " " + Long.toHexString(im.bias()) + " "
                + (im.buildId().isEmpty() ? "-" : im.buildId()) + " " + im.name();
    }

    /** The images a header lists, in its order; a line that does not parse is skipped (its addresses unresolved). */
    public static List<TraceImage> of(Map<String, String> header) {
        List<TraceImage> out = new ArrayList<>();
        for (int n = 0; header.containsKey("image." + n); n++) {
            String[] f = header.get("image." + n).split(" ", 4);
            String[] range = f[0].split("-", 2);
            try {
                out.add(new TraceImage(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16),
                        Long.parseUnsignedLong(f[1], 16), f[2].equals("-") ? "" : f[2], f.length > 3 ? f[3] : ""));
            } catch (RuntimeException e) {
                // a damaged line: its addresses are shown as bare hex
            }
        }
        return out;
    }

    /** The image whose executable range holds pc, or null. */
    public static TraceImage holding(List<TraceImage> images, long pc) {
        for (TraceImage im : images) {
            if (Long.compareUnsigned(pc, im.lo) >= 0 && Long.compareUnsigned(pc, im.hi) < 0) {
                return im;
            }
        }
        return null;
    }

    /** The address as the image's ELF file has it (what addr2line is given). */
    public long offset(long pc) {
        return pc - bias;
    }
}
