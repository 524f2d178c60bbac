package io.rsslab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rsslab.plan.VariantCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** rsslab variants: the catalog, one line each, with whether this machine can run it. */
@Command(name = "variants", mixinStandardHelpOptions = true,
        description = "List the named variants (data/variants.csv) and whether each is available here.")
public final class VariantsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        VariantCatalog catalog = VariantCatalog.load();
        out.printf("%-24s %-9s %s%n", "variant", "available", "what it does");
        for (VariantCatalog.Entry e : catalog.entries()) {
            String why = catalog.unavailableReason(e);
            out.printf("%-24s %-9s %s%s%n", e.variant().name(), why == null ? "yes" : "no", e.variant().description(),
                    why == null ? "" : " [" + why + "]");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
