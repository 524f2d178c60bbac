package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import io.rsslab.plan.EnvPair;
import io.rsslab.plan.Host;
import io.rsslab.plan.RunSpec;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.Variant;
import io.rsslab.run.Round;
import io.rsslab.run.RunStart;

class RoundsCsvTest {

    static final RunSpec SPEC = new RunSpec("r1", ScenarioCatalog.load().find("article-1").orElseThrow(), Host.JVM,
            Variant.of(List.of(new EnvPair("MALLOC_TRIM_THRESHOLD_", "131072"), new EnvPair("ODD", "a,\"b\" c")),
                    true), 1, false);
    static final RunStart START = new RunStart("article-1", "jvm", true, "2.36", 7, 1380);

    @Test
    void roundTripsThroughAnRfc4180Reader() throws Exception {
        StringWriter w = new StringWriter();
        try (RoundsCsv csv = new RoundsCsv(w)) {
            csv.write(SPEC, START, new Round(0, 4122392, 4123292, 1380));
            csv.write(SPEC, START, new Round(6, 4246196, 4247432, 3407164));
        }
        String text = w.toString();
        assertTrue(text.matches("(?s)[\\x20-\\x7e\\r\\n]*"), "plain ASCII");
        assertEquals(3, text.split("\r\n").length, "CRLF row ends");
        CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text));
        assertEquals(RoundsCsv.SCHEMA.headers(), parser.getHeaderNames());
        List<CSVRecord> rows = parser.getRecords();
        assertEquals(2, rows.size());
        CSVRecord r = rows.get(1);
        assertEquals("MALLOC_TRIM_THRESHOLD_=131072 ODD=a,\"b\" c", r.get("env"));
        assertEquals("custom+trim", r.get("variant"));
        assertEquals("true", r.get("trim"));
        assertEquals("6", r.get("round"));
        assertEquals("3405784", r.get("retained_kb"));
        assertEquals("", r.get("mmap_allocs"), "not measured: an empty cell, never a made-up 0");
        assertEquals("", r.get("sys_s"));
        assertEquals("", r.get("jcmd_output"), "no jcmd in this run");
    }

    @Test
    void aJcmdTrimIsInItsRoundsColumnsAndReadsBack() {
        Round r = new Round(32, 101312, 133496, 64944, null, new Round.Pause("Trim native heap: -31916K", 33000, 30000));
        var row = RoundsCsv.row(SPEC, START, r);
        assertEquals("Trim native heap: -31916K", row.get(RoundsColumn.JCMD_OUTPUT));
        assertEquals("33000", row.get(RoundsColumn.RSS_AFTER_JCMD_KB));
        assertEquals(33000, RoundsCsv.parse(row).pause().rssKb());
    }
}
