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
