package io.rsslab.results;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.commons.csv.CSVPrinter;

import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.fork.CommandRunner;

/**
 * The results folder of rsslab try: runs.csv (a row per run, as each ends),
 * samples.csv (every sample, streamed), plan.csv and environment.csv, and
 * each run's output beside them (<run_id>.output.txt).
 */
public final class TryFolder extends FolderBase implements Closeable {

    public static final CsvSchema<TryColumn> RUNS = CsvSchema.of(TryColumn.class);
    public static final CsvSchema<SampleColumn> SAMPLES = CsvSchema.of(SampleColumn.class);
    public static final CsvSchema<TryPlanColumn> PLAN = COMMAND_PLAN;
    public static final String SAMPLES_FILE = "samples.csv";

    private final BufferedWriter runsWriter;
    private final BufferedWriter samplesWriter;
    private final CSVPrinter runs;
    private final CSVPrinter samples;
    private final List<CsvRow<TryColumn>> rows = Collections.synchronizedList(new ArrayList<>());

    private TryFolder(Path dir) throws IOException {
        super(dir, FolderKind.TRY);
        this.runsWriter = Files.newBufferedWriter(dir.resolve(ResultsFolder.RUNS), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.samplesWriter = Files.newBufferedWriter(dir.resolve(SAMPLES_FILE), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.runs = new CSVPrinter(runsWriter, RUNS.format());
        this.samples = new CSVPrinter(samplesWriter, SAMPLES.format());
        runs.flush();
        samples.flush();
    }

    /** A new folder: out (which must not exist), or results/<timestamp>[-N]/. */
    public static TryFolder create(Path out) throws IOException {
        return new TryFolder(newDir(out));
    }

    public void writePlan(List<CsvRow<TryPlanColumn>> plan) throws IOException {
        writeCommandPlan(plan);
    }

    public synchronized void sample(String runId, String variant, int repeat, CommandRunner.Sample s)
            throws IOException {
        samples.printRecord(SAMPLES.row().set(SampleColumn.RUN_ID, runId).set(SampleColumn.VARIANT, variant)
                .set(SampleColumn.REPEAT, repeat).set(SampleColumn.SECONDS, 
                        // Milliseconds, three decimals as "%.3f" gave, without the Formatter (most of a row's cost).
                        java.math.BigDecimal.valueOf(Math.round(s.seconds() * 1000), 3).toPlainString()).set(SampleColumn.RSS_KB, s.rssKb())
                .set(SampleColumn.RSS_ANON_KB, s.rssAnonKb()).set(SampleColumn.PROCESSES, s.processes()).values());
        samples.flush();
    }

    public synchronized void addRun(CsvRow<TryColumn> row) throws IOException {
        runs.printRecord(row.values());
        runs.flush();
        rows.add(row);
    }

    public List<CsvRow<TryColumn>> runs() {
        synchronized (rows) {
            return List.copyOf(rows);
        }
    }

    @Override
    public void close() throws IOException {
        try (runsWriter; samplesWriter) {
            runs.flush();
            samples.flush();
        }
    }
}
