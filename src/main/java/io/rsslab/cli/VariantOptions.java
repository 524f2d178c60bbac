package io.rsslab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rsslab.data.Text;
import io.rsslab.plan.EnvPair;
import io.rsslab.plan.JvmFlags;
import io.rsslab.plan.Preloads;
import io.rsslab.plan.Variant;
import io.rsslab.plan.VariantCatalog;
import picocli.CommandLine.Option;

/** A variant composed on the command line, the same in run, matrix and hosts. */
public final class VariantOptions {

    @Option(names = "--env", paramLabel = "NAME=VALUE",
            description = "Add NAME=VALUE to the child's environment (repeatable), e.g. MALLOC_TRIM_THRESHOLD_=131072.")
    List<String> env = new ArrayList<>();

    @Option(names = "--preload", paramLabel = "LIBRARY",
            description = "LD_PRELOAD this shared library (a path, or a file name such as libjemalloc.so.2).")
    String preload;

    @Option(names = "--trim", description = "Call malloc_trim(0) after the frees of every round (the article's ./rss 1).")
    boolean trim;

    @Option(names = "--label", paramLabel = "NAME", description = "Name the composed variant in the results.")
    String label;

    boolean composes() {
        return !env.isEmpty() || preload != null || trim || label != null;
    }

    /** The catalog variant named, for this JVM (null: no jvm host), plus these options. */
    Variant resolve(String catalogName, JvmFlags java) {
        VariantCatalog catalog = VariantCatalog.load();
        return composeOn(catalog.variant(catalogName, java), catalog);
    }

    /** The variant these options compose on baseline, or null when they compose nothing. */
    Variant composed() {
        return composes() ? composeOn(Variant.BASELINE, VariantCatalog.load()) : null;
    }

    /** Something besides a label: a --label alone would only rename what it is given. */
    private boolean addsSomething() {
        return !env.isEmpty() || preload != null || trim;
    }

    /** base plus the options; a bad pair or a missing library is a UserError. */
    Variant composeOn(Variant base, VariantCatalog catalog) {
        List<EnvPair> pairs = new ArrayList<>();
        try {
            for (String e : env) {
                pairs.add(EnvPair.parse(e));
            }
            if (label != null && !label.matches("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")) {
                throw new IllegalArgumentException("--label '" + label
                        + "' must begin with a letter or digit, then letters, digits and . _ + -, at most 64 in all "
                        + "(it names files and CSV rows)");
            }
            if (label != null && !addsSomething()) {
                throw new IllegalArgumentException("--label names a composed variant: give it --env, --preload "
                        + "or --trim to compose");
            }
            if (label != null && catalog.find(label).isPresent()) {
                throw new IllegalArgumentException("--label " + label + " is the name of a catalog variant "
                        + "(see: rsslab variants); choose another");
            }
            return base.compose(label, pairs, preloadPath(catalog), trim, List.of());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }

    private String preloadPath(VariantCatalog catalog) {
        if (preload == null) {
            return null;
        }
        Path p = catalog.locate(preload).orElseThrow(() -> new UserError("--preload " + Text.printable(preload)
                + ": no such file" + (preload.contains("/") ? "" : " in the system library folders")));
        return Preloads.check(p);
    }
}
