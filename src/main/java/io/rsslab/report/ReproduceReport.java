package io.rsslab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.plan.Host;
import io.rsslab.reference.ReferenceFigures;
import io.rsslab.reference.ReferenceRow;
import io.rsslab.results.ResultsFolder;
import io.rsslab.results.RoundsColumn;
import io.rsslab.results.RoundsCsv;
import io.rsslab.results.RunSummary;

/**
 * The article's published figures beside this machine's, per example and
 * round (from a results folder's rounds.csv), then one verdict line per
 * run of the article. The article prints no base RSS: its lowest RSS after
 * the frees stands in for one when saying how much it kept.
 */
public final class ReproduceReport {

    public static final CsvSchema<ComparisonColumn> SCHEMA = CsvSchema.of(ComparisonColumn.class);

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
        Map<String, List<Ours>> ours = readRounds(folder.resolve(ResultsFolder.ROUNDS));
        Map<String, List<ReferenceRow>> article = new LinkedHashMap<>();
        for (ReferenceRow r : ReferenceFigures.load().all()) {
            article.computeIfAbsent(r.scenario() + "/" + r.variant(), k -> new ArrayList<>()).add(r);
        }
        List<Verdict> verdicts = new ArrayList<>();
        AtomicCsv.write(folder.resolve("comparison.csv"), SCHEMA.format(), csv -> {
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
                csv.printRecord(SCHEMA.row().set(ComparisonColumn.EXAMPLE, a.example())
                        .set(ComparisonColumn.COMMAND, a.command()).set(ComparisonColumn.SCENARIO, a.scenario())
                        .set(ComparisonColumn.VARIANT, a.variant()).set(ComparisonColumn.ROUND, a.round())
                        .set(ComparisonColumn.ARTICLE_ALLOCATED_KB, a.allocatedKb())
                        .set(ComparisonColumn.ALLOCATED_KB, o.allocatedKb())
                        .set(ComparisonColumn.ARTICLE_RSS_AFTER_ALLOC_KB, a.rssAfterAllocKb())
                        .set(ComparisonColumn.RSS_AFTER_ALLOC_KB, o.rssAfterAllocKb())
                        .set(ComparisonColumn.ARTICLE_RSS_AFTER_FREE_KB, a.rssAfterFreeKb())
                        .set(ComparisonColumn.RSS_AFTER_FREE_KB, o.rssAfterFreeKb())
                        .set(ComparisonColumn.ARTICLE_KEPT_KB, articleKept)
                        .set(ComparisonColumn.KEPT_KB, o.retainedKb()).values());
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
        for (CsvRow<RoundsColumn> c : RoundsCsv.SCHEMA.read(roundsCsv, false).rows()) {
            if (!c.get(RoundsColumn.HOST).equals(Host.NATIVE.label())) {
                continue;
            }
            m.computeIfAbsent(c.get(RoundsColumn.SCENARIO) + "/" + c.get(RoundsColumn.VARIANT), k -> new ArrayList<>())
                    .add(new Ours(c.getInt(RoundsColumn.ROUND), c.getLong(RoundsColumn.ALLOCATED_KB),
                            c.getLong(RoundsColumn.RSS_AFTER_ALLOC_KB), c.getLong(RoundsColumn.RSS_AFTER_FREE_KB),
                            c.getLong(RoundsColumn.RETAINED_KB)));
        }
        return m;
    }
}
