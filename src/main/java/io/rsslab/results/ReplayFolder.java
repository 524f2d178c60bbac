package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;

/**
 * The results folder of rsslab replay: runs.csv (a row per replay),
 * replay-samples.csv (every sample of every replay), plan.csv,
 * environment.csv, and each replay's output beside them
 * (<run_id>.output.txt). Each CSV file is written whole, after the runs
 * it holds have ended (the runs are short: a trace replays at millions of
 * calls per second).
 */
public final class ReplayFolder extends FolderBase {

    public static final CsvSchema<ReplayColumn> RUNS = CsvSchema.of(ReplayColumn.class);
    public static final CsvSchema<ReplaySampleColumn> SAMPLES = CsvSchema.of(ReplaySampleColumn.class);
    public static final CsvSchema<TryPlanColumn> PLAN = COMMAND_PLAN;
    public static final String SAMPLES_FILE = "replay-samples.csv";

    private final List<CsvRow<ReplayColumn>> runs = new ArrayList<>();
    private final List<CsvRow<ReplaySampleColumn>> samples = new ArrayList<>();

    private ReplayFolder(Path dir) {
        super(dir, FolderKind.REPLAY);
    }

    /** A new folder: out (which must not exist), or results/<timestamp>[-N]/. */
    public static ReplayFolder create(Path out) throws IOException {
        return new ReplayFolder(newDir(out));
    }

    public void writePlan(List<CsvRow<TryPlanColumn>> plan) throws IOException {
        writeCommandPlan(plan);
    }

    /** One finished replay: its row and its samples, both files rewritten whole (old ones replaced only by complete ones). */
    public void add(CsvRow<ReplayColumn> run, List<CsvRow<ReplaySampleColumn>> runSamples) throws IOException {
        runs.add(run);
        samples.addAll(runSamples);
        AtomicCsv.write(dir.resolve(SAMPLES_FILE), SAMPLES.format(), p -> {
            for (CsvRow<ReplaySampleColumn> r : samples) {
                p.printRecord(r.values());
            }
        });
        AtomicCsv.write(dir.resolve(ResultsFolder.RUNS), RUNS.format(), p -> {
            for (CsvRow<ReplayColumn> r : runs) {
                p.printRecord(r.values());
            }
        });
    }

    public List<CsvRow<ReplayColumn>> runs() {
        return List.copyOf(runs);
    }
}
