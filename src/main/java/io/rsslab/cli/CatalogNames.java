package io.rsslab.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.rsslab.plan.Churn;
import io.rsslab.plan.Scenario;
import io.rsslab.plan.ScenarioCatalog;
import io.rsslab.plan.VariantCatalog;

/**
 * The catalog's names as picocli completion candidates, so that the generated shell completion offers them.
 * Read only when iterated (picocli makes these when it reads the annotations, on every start).
 */
final class CatalogNames {

    private CatalogNames() {
    }

    /** The scenarios a command can name: the article's, churn and its scenario files (data/scenarios/). */
    static final class Scenarios implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            ScenarioCatalog catalog = ScenarioCatalog.load();
            List<String> names = new ArrayList<>();
            catalog.all().stream().map(Scenario::name).forEach(names::add);
            names.add(Churn.BARE);
            catalog.churnFiles().forEach(f -> names.add(f.name()));
            return names.iterator();
        }
    }

    /** The named variants of data/variants.csv. */
    static final class Variants implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return VariantCatalog.load().names().iterator();
        }
    }
}
