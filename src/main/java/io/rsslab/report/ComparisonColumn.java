package io.rsslab.report;

import java.util.Locale;

import io.rsslab.data.CsvColumn;

/** The columns of comparison.csv: the article's figure beside this machine's, per example and round. */
public enum ComparisonColumn implements CsvColumn {
    EXAMPLE, COMMAND, SCENARIO, VARIANT, ROUND, ARTICLE_ALLOCATED_KB, ALLOCATED_KB, ARTICLE_RSS_AFTER_ALLOC_KB,
    RSS_AFTER_ALLOC_KB, ARTICLE_RSS_AFTER_FREE_KB, RSS_AFTER_FREE_KB, ARTICLE_KEPT_KB, KEPT_KB;

    @Override
    public String header() {
        return name().toLowerCase(Locale.ROOT);
    }
}
