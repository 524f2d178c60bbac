package io.rsslab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.rsslab.jvm.JavaRuntime;
import io.rsslab.plan.VariantCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** rsslab variants: the catalog, one line each, with whether this machine can run it. */
@Command(name = "variants", mixinStandardHelpOptions = true,
        description = "List the named variants (data/variants.csv) and whether each is available here "
                + "(JVM variants: with the JVM of --java, default the running one).")
public final class VariantsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    JvmOptions jvm;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        VariantCatalog catalog = VariantCatalog.load();
        if (!jvm.args().isEmpty()) {
            throw new UserError("--jvm-arg has no effect on rsslab variants (it judges the JVM of --java)");
        }
        JavaRuntime java = jvm.runtime();
        out.printf("%-24s %-9s %s%n", "variant", "available", "what it does");
        for (VariantCatalog.Entry e : catalog.entries()) {
            String why = catalog.unavailableReason(e, java);
            out.printf("%-24s %-9s %s%s%n", e.variant().name(), why == null ? "yes" : "no", e.variant().description(),
                    why == null ? "" : " [" + why + "]");
        }
        out.println("(JVM variants apply to --host jvm, judged for java " + java.describe() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
