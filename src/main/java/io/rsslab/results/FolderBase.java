package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.rsslab.data.AtomicCsv;
import io.rsslab.data.CsvRow;
import io.rsslab.data.CsvSchema;
import io.rsslab.machine.Fact;

/**
 * What every results folder has, whatever made it: its directory, its
 * kind, environment.csv (the kind's row among the facts) and plan.csv. The
 * scenario runs' folder (ResultsFolder) writes its plan through PlanCsv; a
 * try's and a replay's write a row per planned run (TryPlanColumn).
 */
public abstract class FolderBase {

    /** plan.csv of a try or replay folder. */
    public static final CsvSchema<TryPlanColumn> COMMAND_PLAN = CsvSchema.of(TryPlanColumn.class);

    protected final Path dir;
    private final FolderKind kind;

    protected FolderBase(Path dir, FolderKind kind) {
        this.dir = dir;
        this.kind = kind;
    }

    public final Path dir() {
        return dir;
    }

    public final FolderKind kind() {
        return kind;
    }

    /** environment.csv, whole: the facts and this folder's kind. */
    public final void writeEnvironment(List<Fact> facts) throws IOException {
        EnvironmentCsv.write(dir.resolve(ResultsFolder.ENVIRONMENT), kind.with(facts));
    }

    /** plan.csv of a try or replay folder: a row per planned run. */
    protected final void writeCommandPlan(List<CsvRow<TryPlanColumn>> plan) throws IOException {
        AtomicCsv.write(dir.resolve(ResultsFolder.PLAN), COMMAND_PLAN.format(), p -> {
            for (CsvRow<TryPlanColumn> r : plan) {
                p.printRecord(r.values());
            }
        });
    }

    /** out (which must not exist), or results/<timestamp>[-N]/, made. */
    static Path newDir(Path out) throws IOException {
        return out == null ? ResultsFolder.newDefaultDir(Path.of("results")) : Files.createDirectory(out);
    }
}
