package io.rsslab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Both trace formats are one definition: src/main/c/trace_format.h, which the
 * recorder and the replayer include, and the Java constants that read and
 * write them say the same (as ChildExitCodeTest does for exit_codes.h).
 */
class TraceFormatTest {

    static Map<String, String> defines() throws Exception {
        String header = Files.readString(Path.of("src/main/c/trace_format.h"));
        Map<String, String> d = new HashMap<>();
        Matcher m = Pattern.compile("#define (TRACE_\\w+) (\"[^\"]*\"|0x[0-9a-f]+u|\\d+u?)").matcher(header);
        while (m.find()) {
            d.put(m.group(1), m.group(2));
        }
        Matcher op = Pattern.compile("(TRACE_[A-Z_]+) = (\\d+),").matcher(header);
        while (op.find()) {
            d.put(op.group(1), op.group(2));
        }
        return d;
    }

    static String text(byte[] magic) {
        return "\"" + new String(magic, StandardCharsets.US_ASCII) + "\"";
    }

    static long number(String c) {
        String t = c.endsWith("u") ? c.substring(0, c.length() - 1) : c;
        return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
    }

    @Test
    void theMergedTraceFileIsTheHeaders() throws Exception {
        Map<String, String> d = defines();
        assertEquals(d.get("TRACE_MAGIC"), text(TraceFile.MAGIC));
        assertEquals(number(d.get("TRACE_VERSION")), TraceFile.VERSION);
        assertEquals(number(d.get("TRACE_END")), TraceOp.END.code());
        assertEquals(number(d.get("TRACE_RECORDS_VERSION")), TraceFile.RECORDS_VERSION);
        assertEquals(number(d.get("TRACE_FLAGS_SHIFT")), TraceCodec.FLAGS_SHIFT);
        assertEquals(number(d.get("TRACE_VARINT_MAX")), TraceCodec.VARINT_MAX);
        assertEquals(TraceFile.RECORDS_VERSION + 1, TraceFile.COMPRESSED_VERSION);
    }

    @Test
    void theRawFileIsTheHeaders() throws Exception {
        Map<String, String> d = defines();
        assertEquals(d.get("TRACE_RAW_MAGIC"), text(RawTrace.MAGIC));
        assertEquals(number(d.get("TRACE_RAW_VERSION")), RawTrace.VERSION);
        assertEquals(number(d.get("TRACE_BLOCK_MAGIC")), RawTrace.BLOCK_MAGIC & 0xffffffffL);
        assertEquals(number(d.get("TRACE_END_THREAD")), RawTrace.END_THREAD & 0xffffffffL);
        assertEquals(number(d.get("TRACE_STACK_THREAD")), RawTrace.STACK_THREAD & 0xffffffffL);
        assertEquals(number(d.get("TRACE_IMAGES_THREAD")), RawTrace.IMAGES_THREAD & 0xffffffffL);
        assertEquals(number(d.get("TRACE_STACK_DEPTH")), RawTrace.STACK_DEPTH);
    }

    @Test
    void everyOpIsTheHeaders() throws Exception {
        Map<String, String> d = defines();
        int ops = 0;
        for (TraceOp op : TraceOp.values()) {
            if (op == TraceOp.END) {
                continue;
            }
            assertEquals(Long.toString(op.code()), d.get("TRACE_" + op.name()), op.name());
            ops++;
        }
        assertTrue(ops >= 10, "every call of the family and the thread's exit: " + ops);
    }
}
