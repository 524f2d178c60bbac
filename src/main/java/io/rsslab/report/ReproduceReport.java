package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import io.rsslab.data.AtomicCsv;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.results.RunSummary;

/**
 * The article's published figures beside this machine's, per example and
 * round (from a results folder's rounds.csv), then one verdict line per
 * run of the article. The article prints no base RSS: its lowest RSS after
 * the frees stands in for one when saying how much it kept.
 */
public final class ReproduceReport {

    public static final List<String> COLUMNS = List.of("example", "command", "scenario", "variant", "round",
            "article_allocated_kb", "allocated_kb", "article_rss_after_alloc_kb", "rss_after_alloc_kb",
            "article_rss_after_free_kb", "rss_after_free_kb", "article_kept_kb", "kept_kb");

    private static final String ROW = "%5s %12s %12s %14s %14s %14s %14s%n";

    /** One round of ours, from rounds.csv. */
    record Ours(int round, long allocatedKb, long rssAfterAllocKb, long rssAfterFreeKb, long retainedKb) {
    }

    /** The verdict on one of the article's runs. */
    public record Verdict(int example, String command, boolean reproduced, String line) {
    }

    private ReproduceReport() {
    }

    /** Prints the comparison, writes comparison.csv beside rounds.csv, returns the verdicts. */
    public static List<Verdict> write(Path folder, PrintWriter out) throws IOException {
        Map<String, List<Ours>> ours = readRounds(folder.resolve("rounds.csv"));
        Map<String, List<ReferenceRow>> article = new LinkedHashMap<>();
        for (ReferenceRow r : ReferenceFigures.load().all()) {
            article.computeIfAbsent(r.scenario() + "/" + r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<Verdict> verdicts = new ArrayList<>();
        AtomicCsv.write(folder.resolve("comparison.csv"), CSVFormat.RFC4180.builder()
                .setHeader(COLUMNS.toArray(String[]::new)).get(), csv -> {
                    for (Map.Entry<String, List<ReferenceRow>> e : article.entrySet()) {
                        List<Ours> mine = ours.get(e.getKey());
                        if (mine != null) {
                            verdicts.add(compare(e.getValue(), mine, out, csv));
                        }
                    }
                });
        out.println();
        verdicts.forEach(v -> out.println(v.line()));
        out.flush();
        return verdicts;
    }

    private static Verdict compare(List<ReferenceRow> ref, List<Ours> mine, PrintWriter out, CSVPrinter csv)
            throws IOException {
        ReferenceRow first = ref.get(0);
        long articleBase = ref.stream().mapToLong(ReferenceRow::rssAfterFreeKb).min().orElse(0);
        out.printf("%nexample %d: %s (%s, variant %s); article: %s, kernel %s, glibc %s%n", first.example(),
                first.command(), first.scenario(), first.variant(), first.distribution(), first.kernel(),
                first.glibc());
        out.printf(ROW, "round", "+KB article", "+KB here", "alloc article", "alloc here", "freed article",
                "freed here");
        Integer articleSince = null;
        Integer oursSince = null;
        long articleKept = 0;
        long oursKept = 0;
        for (int i = 0; i < ref.size(); i++) {
            ReferenceRow a = ref.get(i);
            Ours o = i < mine.size() ? mine.get(i) : null;
            out.printf(ROW, a.round(), a.allocatedKb(), o == null ? "-" : o.allocatedKb(), a.rssAfterAllocKb(),
                    o == null ? "-" : o.rssAfterAllocKb(), a.rssAfterFreeKb(), o == null ? "-" : o.rssAfterFreeKb());
            articleKept = a.rssAfterFreeKb() - articleBase;
            articleSince = RunSummary.keepsMemory(a.allocatedKb(), articleKept)
                    ? (articleSince == null ? a.round() : articleSince) : null;
            if (o != null) {
                oursKept = o.retainedKb();
                oursSince = RunSummary.keepsMemory(o.allocatedKb(), oursKept)
                        ? (oursSince == null ? o.round() : oursSince) : null;
                csv.printRecord(a.example(), a.command(), a.scenario(), a.variant(), a.round(), a.allocatedKb(),
                        o.allocatedKb(), a.rssAfterAllocKb(), o.rssAfterAllocKb(), a.rssAfterFreeKb(),
                        o.rssAfterFreeKb(), articleKept, o.retainedKb());
            }
        }
        boolean complete = mine.size() == ref.size();
        boolean reproduced = complete && (articleSince == null) == (oursSince == null);
        String what = describe(oursSince, oursKept) + " (article: " + describe(articleSince, articleKept) + ")";
        String line = String.format(Locale.ROOT, "example %d (%s, %s): %s: %s", first.example(), first.scenario(),
                first.command(), reproduced ? "reproduced" : "NOT reproduced", complete ? what
                        : "only " + mine.size() + " of " + ref.size() + " rounds ran");
        return new Verdict(first.example(), first.command(), reproduced, line);
    }

    private static String describe(Integer since, long keptKb) {
        String mib = String.format(Locale.ROOT, "%.1f MiB", keptKb / 1024.0);
        return since == null ? "memory returned after the frees, " + mib + " kept in the last round"
                : "memory kept after the frees from round " + since + " on, " + mib + " in the last round";
    }

    /** scenario/variant -> rounds, for the native host. */
    private static Map<String, List<Ours>> readRounds(Path roundsCsv) throws IOException {
        Map<String, List<Ours>> m = new LinkedHashMap<>();
        try (Reader r = Files.newBufferedReader(roundsCsv)) {
            for (CSVRecord c : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                m.computeIfAbsent(c.get("scenario") + "/" + c.get("variant"), k -> new ArrayList<>())
                        .add(new Ours(Integer.parseInt(c.get("round")), Long.parseLong(c.get("allocated_kb")),
                                Long.parseLong(c.get("rss_after_alloc_kb")),
                                Long.parseLong(c.get("rss_after_free_kb")), Long.parseLong(c.get("retained_kb"))));
            }
        }
        return m;
    }
}
