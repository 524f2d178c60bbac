package io.rsslab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.rsslab.data.CsvRow;
import io.rsslab.results.TryColumn;
import io.rsslab.results.TryFolder;
import io.rsslab.results.TrySummary;

/** try's table says what runs.csv says (issue 22, item 6): a run without samples is not a failed run, no -0.0. */
class TryTableTest {

    static CsvRow<TryColumn> run(String variant, String status, Long finalKb, String user) {
        CsvRow<TryColumn> r = TryFolder.RUNS.row().set(TryColumn.VARIANT, variant).set(TryColumn.STATUS, status)
                .set(TryColumn.USER_S, user).set(TryColumn.SYS_S, user == null ? null : "0.000");
        if (finalKb != null) {
            r.set(TryColumn.FINAL_RSS_KB, finalKb).set(TryColumn.PEAK_RSS_KB, finalKb)
                    .set(TryColumn.MEAN_RSS_KB, finalKb).set(TryColumn.TIME_WEIGHTED_RSS_MB_S, "0.1")
                    .set(TryColumn.MAX_RSS_KB, finalKb);
        }
        return r;
    }

    static String table(List<CsvRow<TryColumn>> rows) {
        StringWriter w = new StringWriter();
        TryTable.print(rows, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void aRunThatEndedBeforeItsFirstSampleIsOkAndSaysSo() {
        String t = table(List.of(run("baseline", "ok", null, "0.001")));
        String row = t.lines().filter(l -> l.startsWith("baseline")).findFirst().orElseThrow();
        assertTrue(row.matches("baseline +1/1 .*"), "runs.csv says ok, so does the table: " + t);
        assertTrue(row.contains("0.00"), "its CPU time (wait4's) is shown: " + row);
        assertTrue(t.contains("baseline: 1 of its 1 run(s) ended before the first sample of its memory was taken: "
                + "no RSS figures for it"), t);
        assertFalse(t.matches("(?s).*-0\\.0+(?![0-9]).*"), t);
        String failed = table(List.of(run("baseline", "failed", null, null)));
        assertTrue(failed.lines().anyMatch(l -> l.matches("baseline +0/1 .*")), failed);
    }

    @Test
    void aDifferenceTooSmallToShowIsNeverMinusZero() {
        String t = table(List.of(run("baseline", "ok", 1000L, "0.104"), run("trim", "ok", 990L, "0.101")));
        assertFalse(t.matches("(?s).*-0\\.0+(?![0-9]).*"), "a negative zero: " + t);
        assertTrue(t.contains("+0.0 MiB") && t.contains("+0.00 s") && t.contains("final RSS -0.01 MiB"), t);
        assertEquals("+0.0 MiB", TryTable.signed("%+.1f MiB", -0.04));
        assertEquals("-0.1 MiB", TryTable.signed("%+.1f MiB", -0.06));
        assertEquals("-0.05", TryTable.signed("%+.2f", -0.05));
        assertEquals("+0.00", TryTable.signed("%+.2f", -0.0));
    }

    @Test
    void theProgressLineOfARunWithoutSamplesSaysSo() {
        assertEquals("no sample of its memory (it ended before the first)", new TrySummary().describe());
    }
}
