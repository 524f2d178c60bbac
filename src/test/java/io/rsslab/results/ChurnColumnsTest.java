package io.rsslab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.rsslab.plan.Churn;

/** Every churn parameter has its column in rounds.csv and runs.csv, named churn_PARAM. */
class ChurnColumnsTest {

    @Test
    void aColumnPerParameter() {
        for (String p : Churn.names()) {
            String c = "CHURN_" + p.toUpperCase(Locale.ROOT);
            assertEquals("churn_" + p, RoundsColumn.valueOf(c).header());
            assertEquals("churn_" + p, RunsColumn.valueOf(c).header());
        }
    }
}
