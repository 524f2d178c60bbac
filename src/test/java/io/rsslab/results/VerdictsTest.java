package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.rsslab.data.CsvRow;
import io.rsslab.plan.Host;
import io.rsslab.run.RunStart;

/**
 * Each verdict rule on runs recorded on glibc 2.36 (Debian 12, 2 cores,
 * 2026-11-25, rsslab matrix): every round of 14 runs, as rounds.csv wrote
 * them, in src/test/resources/recorded-rounds.csv, fed through RunSummary
 * as a live run is.
 */
class VerdictsTest {

    static List<CSVRecord> recorded(String scenario, String host, String variant) throws Exception {
        try (Reader r = new InputStreamReader(VerdictsTest.class.getResourceAsStream("/recorded-rounds.csv"),
                StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords()
                    .stream().filter(c -> c.get("scenario").equals(scenario) && c.get("host").equals(host)
                            && c.get("variant").equals(variant)).toList();
        }
    }

    /** A recorded row by column (recorded before the jcmd columns existed: those cells are empty). */
    static CsvRow<RoundsColumn> asRow(CSVRecord c) {
        CsvRow<RoundsColumn> row = RoundsCsv.SCHEMA.row();
        for (RoundsColumn col : RoundsColumn.values()) {
            row.set(col, c.isMapped(col.header()) ? c.get(col.header()) : null);
        }
        return row;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', value = {
        "article-4|native|baseline|freed memory kept at the top of the heap",
        "article-1|native|baseline|freed memory kept in the heap's free bins",
        "article-4|native|trim|memory returned by malloc_trim(0)",
        "article-1|native|trim|memory returned by malloc_trim(0)",
        "article-4|native|mmap-threshold|memory returned because the allocations were mmapped",
        "article-4|jvm|mmap-threshold|memory returned because the allocations were mmapped",
        "article-1|jvm|mmap-threshold|memory returned because the allocations were mmapped",
        "article-4|jvm|baseline|freed memory kept in a thread heap",
        "article-1|jvm|trim|the top of a thread heap below the trim threshold (malloc_trim cannot release it)",
        "article-4|native|tcmalloc|retained by another allocator's caching: libtcmalloc_minimal.so.4",
        "article-4|jvm|tcmalloc|retained by another allocator's caching: libtcmalloc_minimal.so.4",
        "article-4|native|jemalloc|memory returned by another allocator (libjemalloc.so.2)",
    })
    void namesTheMechanism(String scenario, String host, String variant, String expected) throws Exception {
        List<CSVRecord> rows = recorded(scenario, host, variant);
        assertTrue(rows.size() >= 5, "recorded rounds of " + scenario + " " + host + " " + variant);
        CSVRecord first = rows.get(0);
        RunStart start = new RunStart(scenario, host, Boolean.parseBoolean(first.get("trim")), "2.36", 1,
                Long.parseLong(first.get("rss_before_kb")), first.get("allocator"), -1);
        RunSummary summary = new RunSummary();
        summary.started(start);
        rows.forEach(c -> summary.round(start, RoundsCsv.parse(asRow(c))));
        String preload = first.get("preload").isEmpty() ? null : first.get("preload");
        String verdict = Verdicts.of(host.equals("jvm") ? Host.JVM : Host.NATIVE, start.trim(), preload, summary);
        assertTrue(verdict.startsWith(expected), verdict);
    }
}
