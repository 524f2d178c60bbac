package io.rsslab.results;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import io.rsslab.machine.Fact;

/**
 * One results folder: rounds.csv and runs.csv streamed as runs go,
 * environment.csv written whole. A folder is always new: an existing one
 * is never reused or overwritten.
 */
public final class ResultsFolder implements Closeable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path dir;
    private final BufferedWriter roundsWriter;
    private final BufferedWriter runsWriter;
    private final RoundsCsv rounds;
    private final RunsCsv runs;
    private boolean closed;

    private ResultsFolder(Path dir) throws IOException {
        this.dir = dir;
        this.roundsWriter = newFile(dir.resolve("rounds.csv"));
        this.runsWriter = newFile(dir.resolve("runs.csv"));
        this.rounds = new RoundsCsv(roundsWriter);
        this.runs = new RunsCsv(runsWriter);
    }

    /** An existing folder, its two files opened for appending. */
    private ResultsFolder(Path dir, boolean appending) throws IOException {
        this.dir = dir;
        this.roundsWriter = Files.newBufferedWriter(dir.resolve("rounds.csv"), StandardOpenOption.APPEND);
        this.runsWriter = Files.newBufferedWriter(dir.resolve("runs.csv"), StandardOpenOption.APPEND);
        this.rounds = new RoundsCsv(roundsWriter, appending);
        this.runs = new RunsCsv(runsWriter, appending);
    }

    /** A folder to resume, and the run_ids it has finished (they have a row in runs.csv). */
    public record Resumed(ResultsFolder folder, java.util.Set<String> finished) {
    }

    /**
     * Reopens a results folder to complete it: runs.csv must be a valid runs
     * file; the rounds of runs that never finished are dropped from rounds.csv
     * (through a temporary file), so the runs started again do not repeat them.
     * Anything else is an IllegalArgumentException naming what is wrong.
     */
    public static Resumed resume(Path dir) throws IOException {
        for (String f : List.of("plan.csv", "runs.csv", "rounds.csv")) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(dir + " is not a results folder to resume (no " + f + ")");
            }
        }
        java.util.Set<String> finished = new java.util.HashSet<>();
        for (org.apache.commons.csv.CSVRecord r : validRows(dir.resolve("runs.csv"), RunsCsv.COLUMNS)) {
            finished.add(r.get("run_id"));
        }
        List<org.apache.commons.csv.CSVRecord> rounds = validRows(dir.resolve("rounds.csv"), RoundsCsv.COLUMNS);
        io.rsslab.data.AtomicCsv.write(dir.resolve("rounds.csv"), RoundsCsv.FORMAT, p -> {
            for (org.apache.commons.csv.CSVRecord r : rounds) {
                if (finished.contains(r.get("run_id"))) {
                    p.printRecord(r.toList());
                }
            }
        });
        return new Resumed(new ResultsFolder(dir, true), finished);
    }

    private static List<org.apache.commons.csv.CSVRecord> validRows(Path file, List<String> columns)
            throws IOException {
        try (java.io.Reader r = Files.newBufferedReader(file)) {
            org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader()
                    .setSkipHeaderRecord(true).get().parse(r);
            if (!parser.getHeaderNames().equals(columns)) {
                throw new IllegalArgumentException(file + " is not an rsslab " + file.getFileName()
                        + " (its header differs)");
            }
            List<org.apache.commons.csv.CSVRecord> rows = parser.getRecords();
            for (org.apache.commons.csv.CSVRecord row : rows) {
                if (!row.isConsistent()) {
                    throw new IllegalArgumentException(file + " line " + (row.getRecordNumber() + 1)
                            + " is truncated or corrupt");
                }
            }
            return rows;
        } catch (java.io.UncheckedIOException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not valid CSV: " + e.getMessage());
        }
    }

    /** Creates exactly dir, which must not exist; its parent must. */
    public static ResultsFolder create(Path dir) throws IOException {
        Files.createDirectory(dir);
        return new ResultsFolder(dir);
    }

    /** Creates results/<timestamp>[-N]/ under base, never an existing folder. */
    public static ResultsFolder createDefault(Path base) throws IOException {
        Files.createDirectories(base);
        String stamp = STAMP.format(LocalDateTime.now());
        for (int n = 1;; n++) {
            Path dir = base.resolve(n == 1 ? stamp : stamp + "-" + n);
            try {
                return create(dir);
            } catch (FileAlreadyExistsException e) {
                // Another rsslab started in the same second: take the next name.
            }
        }
    }

    private static BufferedWriter newFile(Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8));
    }

    public Path dir() {
        return dir;
    }

    public RoundsCsv rounds() {
        return rounds;
    }

    public RunsCsv runs() {
        return runs;
    }

    public void writeEnvironment(List<Fact> facts) throws IOException {
        EnvironmentCsv.write(dir.resolve("environment.csv"), facts);
    }

    /** Flushes and closes the CSV files; a second call does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (roundsWriter; runsWriter) {
            rounds.flush();
            runs.close();
        }
    }
}
