package io.rsslab.results;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.rsslab.plan.RunSpec;
import io.rsslab.run.Round;
import io.rsslab.run.RunListener;
import io.rsslab.run.RunStart;

/** Writes each validated round of one run as a CSV row. */
public final class CsvRunListener implements RunListener {

    private final RoundsCsv csv;
    private final RunSpec spec;

    public CsvRunListener(RoundsCsv csv, RunSpec spec) {
        this.csv = csv;
        this.spec = spec;
    }

    @Override
    public void started(RunStart start) {
        // The header row is written when the file is opened.
    }

    @Override
    public void round(RunStart start, Round round) {
        try {
            csv.write(spec, start, round);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a CSV row: " + e.getMessage(), e);
        }
    }
}
