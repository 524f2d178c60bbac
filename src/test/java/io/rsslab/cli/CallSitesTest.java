package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.trace.TraceEvent;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TraceOp;

/** Issue 28: call sites recorded, the pins and threshold raises of a replay named by them, old and damaged traces. */
class CallSitesTest {

    @TempDir
    static Path dir;
    static Path program;
    static Path trace;

    @BeforeAll
    static void build() throws Exception {
        program = dir.resolve("pin_raise");
        Process p = new ProcessBuilder("gcc", "-Wall", "-O1", "-g", "-o", program.toString(),
                Path.of("src/test/resources/record/pin_raise.c").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, () -> "needs gcc: " + out);
        trace = dir.resolve("pin_raise.trace");
        CliRunner.Outcome o = CliRunner.run("record", "--stacks", "all", "--out", trace.toString(), "--",
                program.toString());
        assertEquals(0, o.exitCode(), o.err());
    }

    @Test
    void pinItsBlockHoldsTheFreedMemoryAndRaiseItsFreeRaisedTheThreshold() throws Exception {
        Path out = dir.resolve("r-pins");
        CliRunner.Outcome o = CliRunner.run("replay", trace.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> pins = Csv.read(out.resolve("pins.csv"));
        CSVRecord end = pins.stream().filter(r -> r.get("moment").equals("end") && r.get("rank").equals("1"))
                .findFirst().orElseThrow(() -> new AssertionError("no pins at the end: " + pins));
        assertTrue(end.get("call_site").startsWith("pin_it"), end.toString());
        assertEquals("1", end.get("blocks"));
        assertEquals("1000", end.get("block_bytes"));
        assertEquals("1", end.get("nearest_top"));
        // The 4,096 blocks of 16 KiB freed below it (64 MiB and their headers), all resident: the replay wrote them.
        long pinnedKb = Long.parseLong(end.get("pinned_kb"));
        assertTrue(pinnedKb >= 64 * 1024 && pinnedKb <= 66 * 1024, end.toString());
        assertTrue(end.get("stack").contains("main pin_raise.c"), end.toString());
        List<CSVRecord> raises = Csv.read(out.resolve("threshold-raises.csv"));
        assertEquals(1, raises.size(), raises.toString());
        assertTrue(raises.get(0).get("call_site").startsWith("raise_it"), raises.toString());
        // chunksize of a 20 MiB request: 20 MiB + the header, rounded to a page.
        assertEquals(20 * 1024 + 4, Long.parseLong(raises.get(0).get("raised_to_kb")), raises.toString());
        assertTrue(o.out().contains("pin_it"), o.out());
        assertTrue(o.out().contains("raise_it"), o.out());
    }

    @Test
    void python3RecordedWithStacksNamesCPythonsAllocationFunctions() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3");
        Path py = dir.resolve("py.trace");
        CliRunner.Outcome o = CliRunner.run("record", "--stacks", "all", "--out", py.toString(), "--",
                "/usr/bin/python3", "-c", "x = [bytearray(3000) for _ in range(20000)]; y = bytearray(100); del x");
        assertEquals(0, o.exitCode(), o.err());
        Path out = dir.resolve("r-py");
        o = CliRunner.run("replay", py.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> pins = Csv.read(out.resolve("pins.csv"));
        assertFalse(pins.isEmpty(), "pins of python3");
        String stacks = String.join("\n", pins.stream().map(r -> r.get("stack")).toList());
        // Named from python3's exported symbols (its static functions as python3.11+0x...), glibc's through
        // its debug files; never dropped.
        assertTrue(stacks.matches("(?s).*\\b(Py|_Py)\\w*.*"), stacks);
        assertFalse(stacks.contains(" <  < "), stacks);
    }

    @Test
    void aTraceOfThePreviousFormatReplaysUnchanged() throws Exception {
        // Version 3, as main's recorder wrote it: no stack table, no stack records.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] text = "format=rsslab-trace 3\ncommand=hand made\nglibc=2.36\n".getBytes(StandardCharsets.UTF_8);
        b.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .put("RSSLABTR".getBytes(StandardCharsets.US_ASCII)).putInt(3).putInt(text.length).array());
        b.writeBytes(text);
        ByteBuffer r = ByteBuffer.allocate(TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long[][] calls = {{1, 0x1000, 1 << 20}, {1, 0x200000, 100}, {2, 0x1000, 0}};
        for (int i = 0; i < calls.length; i++) {
            r.clear();
            new TraceEvent(i, i, calls[i][1], calls[i][2], 0, 0, (int) calls[i][0], 0).write(r);
            b.writeBytes(r.array());
        }
        r.clear();
        new TraceEvent(calls.length, 3, 1 << 20, 1, 0, 0, TraceOp.END.code(), TraceFile.ENDED).write(r);
        b.writeBytes(r.array());
        Path old = dir.resolve("v3.trace");
        Files.write(old, b.toByteArray());
        Path out = dir.resolve("r-v3");
        CliRunner.Outcome o = CliRunner.run("replay", old.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        List<CSVRecord> runs = Csv.read(out.resolve("runs.csv"));
        assertEquals("ok", runs.get(0).get("status"));
        assertEquals("3", runs.get(0).get("events"));
        // No stacks in it: a pin is named as such.
        Csv.read(out.resolve("pins.csv")).forEach(p -> assertEquals("(no stack recorded)", p.get("call_site")));
    }

    @Test
    void aDamagedStackTableIsRefusedWithTheRecordNumber() throws Exception {
        // The recording as version 4 (48-byte records at known offsets), to damage one record's field.
        Path v4 = dir.resolve("stacks-v4.trace");
        TraceFile.rewrite(trace, v4, TraceFile.RECORDS_VERSION);
        byte[] bytes = Files.readAllBytes(v4);
        long body;
        try (TraceFile.Reader rd = new TraceFile.Reader(v4)) {
            body = rd.headerBytes();
        }
        // The first stack record names a stack the table does not hold.
        ByteBuffer v = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long record = 0;
        for (long at = body; at + TraceEvent.BYTES <= bytes.length; at += TraceEvent.BYTES) {
            record++;
            if (Short.toUnsignedInt(v.getShort((int) at + 44)) == TraceOp.STACK.code()) {
                v.putLong((int) at + 32, 999_999);
                break;
            }
        }
        Path bad = dir.resolve("bad-stack.trace");
        Files.write(bad, bytes);
        CliRunner.Outcome o = CliRunner.run("replay", bad.toString(), "--quiet", "--out",
                dir.resolve("r-bad").toString());
        assertEquals(2, o.exitCode(), o.err());
        assertTrue(o.err().contains("record " + record + ": stack 999999"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        // The table itself cut short: refused before any record.
        byte[] cut = Files.readAllBytes(v4);
        ByteBuffer c = ByteBuffer.wrap(cut).order(ByteOrder.LITTLE_ENDIAN);
        int tableAt = 16 + c.getInt(12);
        c.putLong(tableAt, c.getLong(tableAt) + 12);
        Path badTable = dir.resolve("bad-table.trace");
        Files.write(badTable, cut);
        o = CliRunner.run("replay", badTable.toString(), "--quiet", "--out", dir.resolve("r-bad2").toString());
        assertEquals(2, o.exitCode(), o.err());
        assertTrue(o.err().contains("stack table"), o.err());
    }
}
