package io.rsslab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.rsslab.nativelib.NativeLoader;
import io.rsslab.trace.TraceEvent;
import io.rsslab.trace.TraceException;
import io.rsslab.trace.TraceFile;
import io.rsslab.trace.TraceOp;
import io.rsslab.trace.TracePeak;

/**
 * No trace trusted blindly (issue 22): damaged traces stop with the record's
 * number, legal NULL calls replay, a crashed program's trace is said to be
 * incomplete, the memory guard sees the peak of the calls rather than the one
 * declared, a fuzz of mutated traces never crashes or hangs the replayer; and
 * the replay's time is linear in its calls (issue 21's perl slowdown).
 */
class ReplayTrustTest {

    @TempDir
    Path dir;

    static final int MALLOC = 1;
    static final int FREE = 2;
    static final int CALLOC = 3;
    static final int REALLOC = 4;
    static final int MEMALIGN = 5;
    static final int THREAD_EXIT = 10;
    static final int RSS = 11;

    /** One record: op, ptr, size, aux, thread, flags; seq is its place unless seqs says otherwise. */
    static long[] rec(int op, long ptr, long size, long aux) {
        return new long[] {op, ptr, size, aux, 0, 0};
    }

    /** A trace file: header, records (seq = index), END (declaring peak, flags) unless end is false. */
    static byte[] trace(List<long[]> records, long declaredPeak, int endFlags, boolean end) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] text = "format=rsslab-trace 2\ncommand=hand made\nglibc=2.36\n".getBytes(StandardCharsets.UTF_8);
        b.writeBytes(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .put("RSSLABTR".getBytes(StandardCharsets.US_ASCII)).putInt(TraceFile.RECORDS_VERSION).putInt(text.length)
                .array());
        b.writeBytes(text);
        b.writeBytes(new byte[8]); // version 4: an empty stack table
        ByteBuffer r = ByteBuffer.allocate(TraceEvent.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        long seq = 0;
        for (long[] x : records) {
            r.clear();
            new TraceEvent(seq, seq * 1000, x[1], x[2], x[3], (int) x[4], (int) x[0], (int) x[5]).write(r);
            seq++;
            b.writeBytes(r.array());
        }
        if (end) {
            r.clear();
            new TraceEvent(seq, seq * 1000, declaredPeak, 1, 0, 0, TraceOp.END.code(), endFlags).write(r);
            b.writeBytes(r.array());
        }
        return b.toByteArray();
    }

    Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A string grown by realloc, 64 bytes a call, beside small blocks of which every other is freed. */
    static List<long[]> growingString(int calls) {
        List<long[]> r = new ArrayList<>();
        long string = 0;
        for (int i = 0; r.size() < calls; i++) {
            long small = 0x100000L + i * 0x100L;
            long moved = 0x7000000000L + (i % 2) * 16;
            r.add(rec(MALLOC, small, 200, 0));
            r.add(rec(REALLOC, moved, (i + 1) * 64L, string));
            string = moved;
            if (i % 2 == 1) {
                r.add(rec(FREE, small, 0, 0));
            }
        }
        return r.subList(0, calls);
    }

    record Probe(int exit, String out, double seconds) {
    }

    /** rsslab-probe --replay, under a 1 GiB address-space limit, killed (and failed) after limitSeconds. */
    static Probe probe(Path trace, int limitSeconds, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "ulimit -v 1048576; exec \"$0\" --replay \"$@\"",
                NativeLoader.probe().toString(), trace.toString()));
        cmd.addAll(List.of(more));
        Path out = Files.createTempFile(trace.getParent(), "probe", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long t0 = System.nanoTime();
        boolean done = p.waitFor(limitSeconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly().waitFor();
        }
        assertTrue(done, "the replayer hung on " + trace);
        String text = Files.readString(out, StandardCharsets.ISO_8859_1);
        Files.delete(out);
        return new Probe(p.exitValue(), text, (System.nanoTime() - t0) / 1e9);
    }

    /** The replayer's own wall time of the replay (its last sample's wall_us), the best of three. */
    static double replaySeconds(Path trace) throws Exception {
        double best = Double.MAX_VALUE;
        Pattern wall = Pattern.compile("wall_us=(\\d+)[^\\n]*final=1");
        for (int i = 0; i < 3; i++) {
            Probe p = probe(trace, 120, "--sample-every", "1000");
            assertEquals(0, p.exit(), p.out());
            Matcher m = wall.matcher(p.out());
            assertTrue(m.find(), p.out());
            best = Math.min(best, Long.parseLong(m.group(1)) / 1e6);
        }
        return best;
    }

    @Test
    void aGrowingStringReplaysInTimeLinearInItsCalls() throws Exception {
        // Before: every realloc wrote every page of its whole block again (and every sample walked every free
        // chunk in mallinfo2): 40,000 and 160,000 calls took 0.15 and 2.3 s, 16 times for 4 times the calls.
        int n = 50_000;
        double one = replaySeconds(write("grow-1.trace", trace(growingString(n), 0, TraceFile.ENDED, true)));
        double four = replaySeconds(write("grow-4.trace", trace(growingString(4 * n), 0, TraceFile.ENDED, true)));
        System.out.printf("growing string: %d calls %.3f s, %d calls %.3f s, ratio %.1f%n", n, one, 4 * n, four,
                four / one);
        assertTrue(four / Math.max(one, 0.005) < 8, "linear (ratio about 4): " + one + " s and " + four + " s");
    }

    @Test
    void damagedTracesStopWithTheRecordsNumber() throws Exception {
        List<long[]> calls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            calls.add(rec(MALLOC, 0x1000 + i * 0x100, 100, 0));
        }
        byte[] whole = trace(calls, 1000, TraceFile.ENDED, true);
        int first = whole.length - 11 * TraceEvent.BYTES;
        // Record 5 zeroed: it reads as an END record that counts no records, with records after it.
        byte[] zeroed = whole.clone();
        Arrays.fill(zeroed, first + 4 * TraceEvent.BYTES, first + 5 * TraceEvent.BYTES, (byte) 0);
        expectBad(write("zeroed.trace", zeroed), "record 5: a zeroed or damaged record");
        // Record 3 left out (a 48-byte shift): END no longer counts the records before it.
        byte[] shifted = new byte[whole.length - TraceEvent.BYTES];
        System.arraycopy(whole, 0, shifted, 0, first + 2 * TraceEvent.BYTES);
        System.arraycopy(whole, first + 3 * TraceEvent.BYTES, shifted, first + 2 * TraceEvent.BYTES,
                whole.length - first - 3 * TraceEvent.BYTES);
        expectBad(write("shifted.trace", shifted), "record 10: a zeroed or damaged record");
        // Records 3 and 4 swapped: out-of-order sequence numbers.
        byte[] swapped = whole.clone();
        System.arraycopy(whole, first + 2 * TraceEvent.BYTES, swapped, first + 3 * TraceEvent.BYTES, TraceEvent.BYTES);
        System.arraycopy(whole, first + 3 * TraceEvent.BYTES, swapped, first + 2 * TraceEvent.BYTES, TraceEvent.BYTES);
        expectBad(write("swapped.trace", swapped), "record 4: a sequence number not above the previous record's");
        // Cut inside record 7, and cut before END.
        expectBad(write("cut.trace", Arrays.copyOf(whole, first + 6 * TraceEvent.BYTES + 20)),
                "record 7: the trace ends inside this record");
        expectBad(write("no-end.trace", Arrays.copyOf(whole, whole.length - TraceEvent.BYTES)),
                "record 11: the trace ends before its END record");
    }

    void expectBad(Path trace, String what) {
        CliRunner.Outcome o = CliRunner.run("replay", trace.toString(), "--quiet", "--out",
                dir.resolve(trace.getFileName() + ".replay").toString());
        assertEquals(2, o.exitCode(), o.out() + o.err());
        assertTrue(o.err().contains(what), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        TraceException e = assertThrows(TraceException.class, () -> TracePeak.of(trace));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void legalNullCallsReplayAndAReusedLiveAddressIsNamed() throws Exception {
        Path nulls = write("nulls.trace", trace(List.of(rec(MALLOC, 0x1000, 100, 0), rec(FREE, 0, 0, 0),
                rec(MALLOC, 0, 1000, 0), new long[] {MALLOC, 0, 1000, 0, 0, TraceEvent.FAILED},
                rec(FREE, 0x1000, 0, 0)), 100, TraceFile.ENDED, true));
        Path out = dir.resolve("nulls-replay");
        CliRunner.Outcome o = CliRunner.run("replay", nulls.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
        CSVRecord run = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals("ok", run.get("status"), run.toString());
        assertEquals("5", run.get("events"));
        assertEquals("2", run.get("failed_calls_skipped"), "the two mallocs that returned NULL");
        assertEquals("0", run.get("unknown_frees"), "free(NULL) is no unknown free");

        Path twice = write("twice.trace", trace(List.of(rec(MALLOC, 0x1000, 100, 0), rec(MALLOC, 0x1000, 200, 0),
                rec(FREE, 0x1000, 0, 0)), 300, TraceFile.ENDED, true));
        out = dir.resolve("twice-replay");
        o = CliRunner.run("replay", twice.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.out() + o.err());
        assertTrue(o.out().contains("1 allocation(s) at an address still live (its free is not in the trace: the "
                + "first at record 2)"), o.out());
        assertEquals("0", Csv.read(out.resolve("runs.csv")).get(0).get("final_live_kb"));
    }

    /** rsslab record of python3 -c script (skipped without python3). */
    Path recordPython(String name, String script) {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3");
        Path trace = dir.resolve(name);
        CliRunner.Outcome o = CliRunner.run("record", "--out", trace.toString(), "--", "/usr/bin/python3", "-c",
                script);
        assertEquals(0, o.exitCode(), o.err());
        return trace;
    }

    @Test
    void aCrashedProgramsTraceIsSaidToBeIncomplete() throws Exception {
        Path trace = recordPython("crash.trace", "import os\na = [bytes(5000) for _ in range(2000)]\nos._exit(0)");
        TraceFile.Shape shape = TraceFile.shape(trace);
        assertNotNull(shape.incomplete(), "_exit(0): no exit flush");
        CliRunner.Outcome o = CliRunner.run("replay", trace.toString(), "--quiet", "--out",
                dir.resolve("crash-replay").toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("the trace is incomplete: the program did not end through exit()"), o.out());
        Path matrix = dir.resolve("crash-matrix");
        o = CliRunner.run("matrix", "--scenario", "trace:" + trace, "--quiet", "--out", matrix.toString());
        assertEquals(0, o.exitCode(), o.err());
        for (CSVRecord r : Csv.read(matrix.resolve("runs.csv"))) {
            assertTrue(r.get("verdict").contains("(the trace is incomplete: the program did not end through exit()"),
                    r.get("verdict"));
        }
    }

    @Test
    void theMemoryGuardSeesThePeakOfTheCallsNotTheDeclaredOne() throws Exception {
        // END declares 1 MiB; the calls malloc 1 TiB.
        Path liar = write("liar.trace", trace(List.of(rec(MALLOC, 0x1000, 1L << 40, 0), rec(FREE, 0x1000, 0, 0)),
                1 << 20, TraceFile.ENDED, true));
        TracePeak peak = TracePeak.of(liar);
        assertEquals(1L << 40, peak.peakLiveBytes());
        assertEquals(1L << 20, peak.declaredPeakBytes());
        assertEquals(2, peak.calls());
        CliRunner.Outcome o = CliRunner.run("run", "trace:" + liar, "--out", dir.resolve("liar-run").toString());
        assertEquals(2, o.exitCode(), o.out() + o.err());
        assertTrue(o.err().contains("needs " + ((1L << 20) + 16) + " MiB at its peak"), o.err());
        // Its source named: the calls, not the article's catalog (said "(data/scenarios.csv)" before).
        assertTrue(o.err().contains("MiB at its peak (the live bytes its calls hold, plus 16 MiB)"), o.err());
        assertFalse(o.err().contains("scenarios.csv"), o.err());
        assertFalse(Files.exists(dir.resolve("liar-run").resolve("runs.csv")), "refused before anything ran");
        // replay is guarded the same way, before its folder is made.
        o = CliRunner.run("replay", liar.toString(), "--out", dir.resolve("liar-replay").toString());
        assertEquals(2, o.exitCode(), o.out() + o.err());
        assertTrue(o.err().contains("needs ") && o.err().contains("to replay (its calls hold 1024.0 GiB live")
                && o.err().contains("--force to replay it anyway"), o.err());
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(Files.exists(dir.resolve("liar-replay")), "refused before the folder was made");
    }

    @Test
    void theProgramsOwnVmRssIsRecordedAndDrawnBesideTheReplays() throws Exception {
        Path trace = recordPython("python.trace",
                "import time\na = [bytes(3000) for _ in range(30000)]\ntime.sleep(0.1)\ndel a[::2]\nprint(len(a))");
        TracePeak peak = TracePeak.of(trace);
        assertTrue(peak.programPeakRssKb() > 30000L * 3000 / 1024, "the program's VmRSS held its 90 MB: " + peak);
        assertTrue(peak.programFinalRssKb() > 0 && peak.programFinalRssKb() <= peak.programPeakRssKb(), peak.toString());
        Path out = dir.resolve("python-replay");
        CliRunner.Outcome o = CliRunner.run("replay", trace.toString(), "--quiet", "--out", out.toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("the program's own VmRSS (sampled by the recorder): peak "), o.out());
        CSVRecord run = Csv.read(out.resolve("runs.csv")).get(0);
        assertEquals(peak.programPeakRssKb(), Long.parseLong(run.get("program_peak_rss_kb")), run.toString());
        List<CSVRecord> samples = Csv.read(out.resolve("replay-samples.csv"));
        assertTrue(samples.stream().filter(s -> !s.get("program_rss_kb").isEmpty()).count() > samples.size() / 2,
                "most samples have the program's VmRSS beside the replay's");
        assertTrue(Files.isRegularFile(out.resolve("report/charts/replay-rss-over-calls.svg")));
    }

    /**
     * A few hundred mutated traces (bit flips, zeroed, shifted, duplicated records, truncations, header
     * damage), each within 10 s under a 1 GiB address-space limit: exit 0 only where the whole trace was
     * replayed (as many calls as the Java reader finds), 2 with the record's number (which the Java reader
     * names too), 1 where a flipped size made malloc fail (its record named); never a signal or a hang.
     */
    @Test
    void mutatedTracesNeverCrashOrHangTheReplayer() throws Exception {
        long seed = Long.getLong("rsslab.fuzz.seed", 20261202L);
        System.out.println("fuzz seed " + seed + " (-Drsslab.fuzz.seed=N to change it)");
        Random rnd = new Random(seed);
        List<long[]> calls = fuzzCalls();
        byte[] base = trace(calls, 1 << 20, TraceFile.ENDED, true);
        int first = base.length - (calls.size() + 1) * TraceEvent.BYTES;
        int rounds = 300;
        int[] outcomes = new int[3];
        for (int k = 0; k < rounds; k++) {
            byte[] m = mutate(base, first, rnd);
            Path f = write("fuzz-" + k + ".trace", m);
            Probe p = probe(f, 10);
            String what = "seed " + seed + ", mutation " + k + " (" + f + "): exit " + p.exit() + "\n" + p.out();
            assertTrue(p.exit() >= 0 && p.exit() <= 2, "no crash: " + what);
            outcomes[p.exit()]++;
            JavaRead j = javaRead(f);
            TracePeak java = j.peak();
            TraceException refused = j.refused();
            if (p.exit() == 0) {
                assertNotNull(java, "what the replayer replayed whole, the reader reads whole: " + what + refused);
                assertTrue(p.out().contains("end\tevents=" + java.calls() + "\tcomplete=1\t"), what);
                continue;
            }
            Matcher r = Pattern.compile("^(bad|malloc_failed)\trecord=(\\d+)", Pattern.MULTILINE).matcher(p.out());
            assertTrue(r.find(), "the record's number: " + what);
            if (r.group(1).equals("bad")) {
                assertEquals(2, p.exit(), what);
                assertNotNull(refused, "what the replayer refuses, the reader refuses: " + what);
                if (!r.group(2).equals("0")) {
                    assertTrue(refused.getMessage().contains("record " + r.group(2) + ":"), refused.getMessage()
                            + "\n" + what);
                }
            } else {
                assertEquals(1, p.exit(), what);
            }
            Files.delete(f);
        }
        System.out.printf("fuzz: %d traces: %d replayed whole, %d malloc failed, %d refused%n", rounds, outcomes[0],
                outcomes[1], outcomes[2]);
        assertTrue(outcomes[2] > rounds / 4 && outcomes[0] > 10, "both kinds of outcome: " + Arrays.toString(outcomes));
    }

    /** What the Java reader made of a trace: its peak, or why it refused it. */
    record JavaRead(TracePeak peak, TraceException refused) {
    }

    static JavaRead javaRead(Path f) throws Exception {
        try {
            return new JavaRead(TracePeak.of(f), null);
        } catch (TraceException e) {
            return new JavaRead(null, e);
        }
    }

    /** The fuzz's calls (two threads, every kind of allocation, frees, a thread's end). */
    static List<long[]> fuzzCalls() {
        List<long[]> calls = new ArrayList<>();
        calls.add(new long[] {RSS, 0, 4 << 20, 2 << 20, 0, 0});
        for (int i = 0; i < 120; i++) {
            long p = 0x10000L + i * 0x1000L;
            int t = i % 3 == 0 ? 1 : 0;
            switch (i % 4) {
                case 0 -> calls.add(new long[] {MALLOC, p, 100 + i * 37, 0, t, 0});
                case 1 -> calls.add(new long[] {CALLOC, p, 4000 + i, 0, t, 0});
                case 2 -> calls.add(new long[] {MEMALIGN, p, 300, 64, t, 0});
                default -> calls.add(new long[] {REALLOC, p, 9000, p - 0x3000L, t, 0});
            }
            if (i % 5 == 4) {
                calls.add(new long[] {FREE, p - 0x1000L, 0, 0, i % 3 == 1 ? 1 : 0, 0});
            }
        }
        calls.add(new long[] {THREAD_EXIT, 0, 0, 0, 1, 0});
        return calls;
    }

    /** The same trace as version 4 (48-byte records) and as version 5 (compact, zstd), through TraceFile.rewrite. */
    Path asVersion5(Path v4) throws Exception {
        Path v5 = dir.resolve(v4.getFileName() + ".v5");
        TraceFile.rewrite(v4, v5, TraceFile.VERSION);
        return v5;
    }

    /** What a replay found, without its times and RSS: the calls, the live bytes and blocks at each sample. */
    static List<String> replayed(String out) {
        List<String> kept = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(sample|end)\t.*$").matcher(out);
        while (m.find()) {
            StringBuilder b = new StringBuilder(m.group(1));
            for (String f : m.group().split("\t")) {
                if (f.matches("(events|live_bytes|live_blocks|complete|threads|failed|unknown_frees)=.*")) {
                    b.append(' ').append(f);
                }
            }
            kept.add(b.toString());
        }
        return kept;
    }

    @Test
    void version4AndVersion5ReplayTheSameCalls() throws Exception {
        Path v4 = write("same.trace", trace(fuzzCalls(), 1 << 20, TraceFile.ENDED, true));
        Path v5 = asVersion5(v4);
        assertTrue(Files.size(v5) < Files.size(v4) / 3, Files.size(v5) + " bytes against " + Files.size(v4));
        Probe a = probe(v4, 30, "--sample-every", "10");
        Probe b = probe(v5, 30, "--sample-every", "10");
        assertEquals(0, a.exit(), a.out());
        assertEquals(0, b.exit(), b.out());
        List<String> ra = replayed(a.out());
        assertTrue(ra.size() > 10 && ra.get(ra.size() - 1).startsWith("end events="), ra.toString());
        assertEquals(ra, replayed(b.out()));
        try (TraceFile.Reader r4 = new TraceFile.Reader(v4); TraceFile.Reader r5 = new TraceFile.Reader(v5)) {
            assertTrue(r5.compressed());
            for (TraceEvent e = r4.next(); e != null; e = r4.next()) {
                assertEquals(e, r5.next());
            }
            assertEquals(null, r5.next());
            assertEquals(r4.end(), r5.end());
        }
        assertEquals(TraceFile.shape(v4).calls(), TraceFile.shape(v5).calls());
        assertEquals(TracePeak.of(v4).peakLiveMib(), TracePeak.of(v5).peakLiveMib());
    }

    /**
     * Version 5's body mutated (bit flips in the compressed frames, bytes left out or doubled, cut short):
     * exit 2 with a record's number (the Java reader refuses it too), or 0 where it still reads whole (as
     * many calls as the Java reader finds); never a signal or a hang.
     */
    @Test
    void mutatedCompressedTracesNeverCrashOrHangTheReplayer() throws Exception {
        long seed = Long.getLong("rsslab.fuzz.seed", 20261202L);
        Random rnd = new Random(seed);
        Path v5 = asVersion5(write("base.trace", trace(fuzzCalls(), 1 << 20, TraceFile.ENDED, true)));
        byte[] base = Files.readAllBytes(v5);
        int first;
        try (TraceFile.Reader r = new TraceFile.Reader(v5)) {
            first = (int) r.headerBytes();
        }
        int rounds = 150;
        int[] outcomes = new int[3];
        for (int k = 0; k < rounds; k++) {
            byte[] m;
            int at = first + rnd.nextInt(base.length - first);
            switch (rnd.nextInt(4)) {
                case 0, 1 -> {
                    m = base.clone();
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                }
                case 2 -> {
                    int gone = 1 + rnd.nextInt(Math.min(8, base.length - at));
                    m = new byte[base.length - gone];
                    System.arraycopy(base, 0, m, 0, at);
                    System.arraycopy(base, at + gone, m, at, base.length - at - gone);
                }
                default -> m = Arrays.copyOf(base, at);
            }
            Path f = write("zfuzz-" + k + ".trace", m);
            Probe p = probe(f, 10);
            String what = "seed " + seed + ", mutation " + k + " (" + f + "): exit " + p.exit() + "\n" + p.out();
            assertTrue(p.exit() == 0 || p.exit() == 2, "no crash: " + what);
            outcomes[p.exit()]++;
            JavaRead j = javaRead(f);
            TracePeak java = j.peak();
            TraceException refused = j.refused();
            if (p.exit() == 0) {
                assertNotNull(java, "what the replayer replayed whole, the reader reads whole: " + what + refused);
                assertTrue(p.out().contains("end\tevents=" + java.calls() + "\tcomplete=1\t"), what);
            } else {
                Matcher r = Pattern.compile("^bad\trecord=(\\d+)", Pattern.MULTILINE).matcher(p.out());
                assertTrue(r.find() && Long.parseLong(r.group(1)) >= 1, "the record's number: " + what);
                assertNotNull(refused, "what the replayer refuses, the reader refuses: " + what);
                assertTrue(refused.getMessage().matches("(?s).*record \\d+: .*"), refused.getMessage());
            }
            Files.delete(f);
        }
        System.out.printf("compressed fuzz: %d traces: %d replayed whole, %d refused%n", rounds, outcomes[0],
                outcomes[2]);
        assertTrue(outcomes[2] > rounds / 2, "refused: " + Arrays.toString(outcomes));
    }

    private static byte[] mutate(byte[] base, int first, Random rnd) {
        int records = (base.length - first) / TraceEvent.BYTES;
        int at = first + rnd.nextInt(records) * TraceEvent.BYTES;
        switch (rnd.nextInt(7)) {
            case 0, 1 -> {
                // 1-3 bit flips in the records
                byte[] m = base.clone();
                for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
                    int b = first + rnd.nextInt(base.length - first);
                    m[b] ^= (byte) (1 << rnd.nextInt(8));
                }
                return m;
            }
            case 2 -> {
                byte[] m = base.clone();
                Arrays.fill(m, at, at + TraceEvent.BYTES, (byte) 0);
                return m;
            }
            case 3 -> {
                // a record left out, or 1-47 bytes: the records after it shifted
                int gone = rnd.nextBoolean() ? TraceEvent.BYTES : 1 + rnd.nextInt(TraceEvent.BYTES - 1);
                byte[] m = new byte[base.length - gone];
                System.arraycopy(base, 0, m, 0, at);
                System.arraycopy(base, at + gone, m, at, base.length - at - gone);
                return m;
            }
            case 4 -> {
                // a record written twice
                byte[] m = new byte[base.length + TraceEvent.BYTES];
                System.arraycopy(base, 0, m, 0, at + TraceEvent.BYTES);
                System.arraycopy(base, at, m, at + TraceEvent.BYTES, base.length - at);
                return m;
            }
            case 5 -> {
                return Arrays.copyOf(base, rnd.nextInt(base.length));
            }
            default -> {
                // header damage: its magic, version, length or text
                byte[] m = base.clone();
                int b = rnd.nextInt(first);
                m[b] ^= (byte) (1 << rnd.nextInt(8));
                return m;
            }
        }
    }
}
