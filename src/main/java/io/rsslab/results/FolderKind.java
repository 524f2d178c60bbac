package io.rsslab.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.rsslab.data.CsvRow;
import io.rsslab.machine.Fact;

/**
 * What made a results folder, written in its environment.csv (section
 * rsslab, name kind) and read back by the report: scenario runs (run,
 * matrix, sweep, hosts, reproduce), a try of the user's command, a replay,
 * a watch of running processes.
 */
public enum FolderKind {
    SCENARIO, TRY, REPLAY, WATCH;

    public static final String SECTION = "rsslab";
    public static final String NAME = "kind";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    Fact fact() {
        return new Fact(SECTION, NAME, label(), "what made this folder: scenario (run, matrix, sweep, hosts, "
                + "reproduce), try, replay or watch");
    }

    /** facts with this kind's row after rsslab's own leading rows (the command, the version). */
    List<Fact> with(List<Fact> facts) {
        List<Fact> all = new ArrayList<>(facts);
        int at = 0;
        while (at < all.size() && all.get(at).section().equals(SECTION)) {
            at++;
        }
        all.add(at, fact());
        return all;
    }

    /**
     * The kind of the folder dir. Its environment.csv's kind row; a folder written before that row
     * existed (rsslab before the launch layer) has none and is recognised by its files, as the
     * report did then: samples.csv is a try's, replay-samples.csv a replay's, anything else scenario runs.
     */
    public static FolderKind of(Path dir) throws IOException {
        Path env = dir.resolve(ResultsFolder.ENVIRONMENT);
        if (Files.isRegularFile(env)) {
            for (CsvRow<EnvironmentColumn> r : EnvironmentCsv.SCHEMA.read(env, false).rows()) {
                if (r.get(EnvironmentColumn.SECTION).equals(SECTION) && r.get(EnvironmentColumn.NAME).equals(NAME)) {
                    for (FolderKind k : values()) {
                        if (k.label().equals(r.get(EnvironmentColumn.VALUE))) {
                            return k;
                        }
                    }
                    throw new IOException(env + ": kind " + r.get(EnvironmentColumn.VALUE)
                            + " is none of scenario, try, replay, watch");
                }
            }
        }
        if (Files.isRegularFile(dir.resolve(TryFolder.SAMPLES_FILE))) {
            return TRY;
        }
        if (Files.isRegularFile(dir.resolve(ReplayFolder.SAMPLES_FILE))) {
            return REPLAY;
        }
        return SCENARIO;
    }
}
