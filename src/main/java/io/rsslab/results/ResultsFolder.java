package io.rsslab.results;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.data.Folders;
import io.rsslab.plan.RunSpec;

/**
 * One results folder: rounds.csv and runs.csv streamed as runs go, plan.csv
 * and environment.csv written whole. A folder is always new: an existing
 * one is never reused, and one given to replace (--overwrite) is replaced
 * only by a folder that is complete (replaceTarget). The runs' rows are also
 * kept in memory, for the baseline comparison and the closing table.
 */
public final class ResultsFolder extends FolderBase implements Closeable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** The files a results folder holds, whatever else it holds. */
    public static final String ROUNDS = "rounds.csv";
    public static final String RUNS = "runs.csv";
    public static final String PLAN = "plan.csv";
    public static final String ENVIRONMENT = "environment.csv";

    private final Path replaces;
    private final BufferedWriter roundsWriter;
    private final BufferedWriter runsWriter;
    private final RoundsCsv rounds;
    private final RunsCsv runs;
    private final List<CsvRow<RunsColumn>> runRows;
    private boolean closed;

    private ResultsFolder(Path dir, Path replaces) throws IOException {
        super(dir, FolderKind.SCENARIO);
        this.replaces = replaces;
        this.roundsWriter = newFile(dir.resolve(ROUNDS));
        this.runsWriter = newFile(dir.resolve(RUNS));
        this.rounds = new RoundsCsv(roundsWriter, false);
        this.runs = new RunsCsv(runsWriter, false);
        this.runRows = Collections.synchronizedList(new ArrayList<>());
    }

    /** An existing folder, its two files opened for appending, its finished runs' rows. */
    private ResultsFolder(Path dir, List<CsvRow<RunsColumn>> finished) throws IOException {
        super(dir, FolderKind.SCENARIO);
        this.replaces = null;
        this.roundsWriter = Files.newBufferedWriter(dir.resolve(ROUNDS), StandardOpenOption.APPEND);
        this.runsWriter = Files.newBufferedWriter(dir.resolve(RUNS), StandardOpenOption.APPEND);
        this.rounds = new RoundsCsv(roundsWriter, true);
        this.runs = new RunsCsv(runsWriter, true);
        this.runRows = Collections.synchronizedList(new ArrayList<>(finished));
    }

    /**
     * A folder to resume, the run_ids it has finished (they have a row in
     * runs.csv), and the files whose partial last row (a write cut short) was dropped.
     */
    public record Resumed(ResultsFolder folder, Set<String> finished, List<String> droppedPartialRows) {
    }

    /** The files a folder must hold to be resumed; an IllegalArgumentException names the first missing one. */
    public static void checkResumable(Path dir) {
        for (String f : List.of(PLAN, RUNS, ROUNDS)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalArgumentException(dir + " is not a results folder to resume (no " + f + ")");
            }
        }
    }

    /** Is dir a results folder (a folder, not a link to one, that holds runs.csv)? Only such a folder is ever replaced. */
    public static boolean isResultsFolder(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(dir.resolve(RUNS), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Reopens a results folder to complete it: runs.csv must be a valid runs
     * file; the rounds of runs that never finished are dropped from rounds.csv
     * (through a temporary file), so the runs started again do not repeat them.
     * Anything else is an IllegalArgumentException naming what is wrong.
     */
    public static Resumed resume(Path dir, Set<String> planned) throws IOException {
        checkResumable(dir);
        CsvSchema.Rows<RunsColumn> runs = RunsCsv.SCHEMA.read(dir.resolve(RUNS), true);
        CsvSchema.Rows<RoundsColumn> roundRows = RoundsCsv.SCHEMA.read(dir.resolve(ROUNDS), true);
        if (runs.olderHeader() || roundRows.olderHeader()) {
            throw new IllegalArgumentException(dir + " was written by an older rsslab, with fewer columns: --resume "
                    + "cannot add rows of this version to it (rsslab report still reads it)");
        }
        Set<String> seen = new HashSet<>();
        for (CsvRow<RunsColumn> r : runs.rows()) {
            String id = r.get(RunsColumn.RUN_ID);
            if (!planned.contains(id)) {
                throw new IllegalArgumentException(dir.resolve(RUNS) + " has run " + id + ", which "
                        + PLAN + " does not plan");
            }
            if (!seen.add(id)) {
                throw new IllegalArgumentException(dir.resolve(RUNS) + " has run " + id + " twice");
            }
        }
        for (CsvRow<RoundsColumn> r : roundRows.rows()) {
            if (!planned.contains(r.get(RoundsColumn.RUN_ID))) {
                throw new IllegalArgumentException(dir.resolve(ROUNDS) + " has rounds of run "
                        + r.get(RoundsColumn.RUN_ID) + ", which " + PLAN + " does not plan");
            }
        }
        List<CsvRow<RunsColumn>> finished = runs.rows();
        Set<String> ids = new HashSet<>();
        finished.forEach(r -> ids.add(r.get(RunsColumn.RUN_ID)));
        List<CsvRow<RoundsColumn>> kept = roundRows.rows().stream()
                .filter(r -> ids.contains(r.get(RoundsColumn.RUN_ID))).toList();
        List<String> dropped = new ArrayList<>();
        if (runs.droppedPartialLast()) {
            dropped.add(RUNS);
        }
        if (roundRows.droppedPartialLast()) {
            dropped.add(ROUNDS);
        }
        AtomicCsv.write(dir.resolve(ROUNDS), RoundsCsv.SCHEMA.format(), p -> {
            for (CsvRow<RoundsColumn> r : kept) {
                p.printRecord(r.values());
            }
        });
        AtomicCsv.write(dir.resolve(RUNS), RunsCsv.SCHEMA.format(), p -> {
            for (CsvRow<RunsColumn> r : finished) {
                p.printRecord(r.values());
            }
        });
        return new Resumed(new ResultsFolder(dir, finished), ids, dropped);
    }

    /** Creates exactly dir, which must not exist; its parent must. */
    public static ResultsFolder create(Path dir) throws IOException {
        Files.createDirectory(dir);
        return new ResultsFolder(dir, (Path) null);
    }

    /**
     * A new folder beside target, a results folder that it will replace once
     * it is complete (replaceTarget); until then target stays as it was.
     */
    public static ResultsFolder createReplacing(Path target) throws IOException {
        if (!isResultsFolder(target)) {
            throw new IllegalArgumentException(target + " is not a results folder (no " + RUNS + ")");
        }
        Path dir = sibling(target, "new");
        Files.createDirectory(dir);
        return new ResultsFolder(dir, target);
    }

    /** Creates results/<timestamp>[-N]/ under base, never an existing folder. */
    public static ResultsFolder createDefault(Path base) throws IOException {
        return new ResultsFolder(newDefaultDir(base), (Path) null);
    }

    /** Makes a new, empty base/<timestamp>[-N]/ folder, never an existing one. */
    public static Path newDefaultDir(Path base) throws IOException {
        Files.createDirectories(base);
        String stamp = STAMP.format(LocalDateTime.now());
        for (int n = 1;; n++) {
            Path dir = base.resolve(n == 1 ? stamp : stamp + "-" + n);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                // Another rsslab started in the same second: take the next name.
            }
        }
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A new name beside target, unique for this process and this call. */
    private static Path sibling(Path target, String what) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling(abs.getFileName() + ".rsslab-" + what + "-" + ProcessHandle.current().pid() + "-"
                + SEQUENCE.incrementAndGet());
    }

    private static BufferedWriter newFile(Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                StandardCharsets.UTF_8));
    }

    /** The folder this one will replace, or null. */
    public Path replaces() {
        return replaces;
    }

    public RoundsCsv rounds() {
        return rounds;
    }

    /** A finished run's row: appended to runs.csv at once, and kept. */
    public void addRun(CsvRow<RunsColumn> row) throws IOException {
        runs.write(row);
        runRows.add(row);
    }

    public void writePlan(List<RunSpec> plan, PlanCsv.Settings settings) throws IOException {
        PlanCsv.write(dir.resolve(PLAN), plan, settings);
    }

    /**
     * Every run has ended: closes the files, compares each run's CPU time
     * with its baseline, and rewrites runs.csv whole with it. Returns the rows.
     */
    public List<CsvRow<RunsColumn>> finish() throws IOException {
        close();
        List<CsvRow<RunsColumn>> rows;
        synchronized (runRows) {
            rows = List.copyOf(runRows);
        }
        BaselineComparison.apply(rows);
        AtomicCsv.write(dir.resolve(RUNS), RunsCsv.SCHEMA.format(), p -> {
            for (CsvRow<RunsColumn> r : rows) {
                p.printRecord(r.values());
            }
        });
        return rows;
    }

    /**
     * Puts this finished folder where the one it replaces was: the old one is
     * moved aside, this one renamed into its place, then the old one deleted.
     * Returns the folder's final path.
     */
    public Path replaceTarget() throws IOException {
        if (replaces == null) {
            return dir;
        }
        Path old = sibling(replaces, "old");
        Files.move(replaces, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(dir, replaces.toAbsolutePath(), StandardCopyOption.ATOMIC_MOVE);
        Folders.deleteTree(old);
        return replaces;
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
