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
 * environment.csv, pins.csv and threshold-raises.csv (the call sites that keep
 * memory, CallSites), and each replay's output beside them
 * (<run_id>.output.txt). Each CSV file is written whole, after the runs
 * it holds have ended (the runs are short: a trace replays at millions of
 * calls per second).
 */
public final class ReplayFolder extends FolderBase {

    public static final CsvSchema<ReplayColumn> RUNS = CsvSchema.of(ReplayColumn.class);
    public static final CsvSchema<ReplaySampleColumn> SAMPLES = CsvSchema.of(ReplaySampleColumn.class);
    public static final CsvSchema<TryPlanColumn> PLAN = COMMAND_PLAN;
    public static final String SAMPLES_FILE = "replay-samples.csv";
    public static final CsvSchema<PinColumn> PINS = CsvSchema.of(PinColumn.class);
    public static final CsvSchema<RaiseColumn> RAISES = CsvSchema.of(RaiseColumn.class);
    public static final String PINS_FILE = "pins.csv";
    public static final String RAISES_FILE = "threshold-raises.csv";

    private final List<CsvRow<ReplayColumn>> runs = new ArrayList<>();
    private final List<CsvRow<ReplaySampleColumn>> samples = new ArrayList<>();
    private final List<CsvRow<PinColumn>> pins = new ArrayList<>();
    private final List<CsvRow<RaiseColumn>> raises = new ArrayList<>();

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

    /** One finished replay's pins and threshold raises (CallSites): both files rewritten whole. */
    public void addCallSites(List<CsvRow<PinColumn>> runPins, List<CsvRow<RaiseColumn>> runRaises)
            throws IOException {
        pins.addAll(runPins);
        raises.addAll(runRaises);
        AtomicCsv.write(dir.resolve(PINS_FILE), PINS.format(), p -> {
            for (CsvRow<PinColumn> r : pins) {
                p.printRecord(r.values());
            }
        });
        AtomicCsv.write(dir.resolve(RAISES_FILE), RAISES.format(), p -> {
            for (CsvRow<RaiseColumn> r : raises) {
                p.printRecord(r.values());
            }
        });
    }

    public List<CsvRow<PinColumn>> pins() {
        return List.copyOf(pins);
    }

    public List<CsvRow<RaiseColumn>> raises() {
        return List.copyOf(raises);
    }

    public List<CsvRow<ReplayColumn>> runs() {
        return List.copyOf(runs);
    }
}
