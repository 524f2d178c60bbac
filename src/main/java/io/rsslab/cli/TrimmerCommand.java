package io.rsslab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.rsslab.nativelib.NativeLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** rsslab trimmer: where the periodic trimmer is unpacked from the jar, and how to deploy it. */
@Command(name = "trimmer", mixinStandardHelpOptions = true,
        description = "Unpack librsslab-trim.so (a thread calling malloc_trim(0) every RSSLAB_TRIM_INTERVAL in any "
                + "glibc program it is preloaded into) and say where it is and how to deploy it.")
public final class TrimmerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--path", description = "Print only the library's path (in rsslab's cache: copy it to a stable "
            + "place before deploying, a new rsslab build unpacks into a new folder).")
    boolean pathOnly;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path lib = NativeLoader.unpack(NativeLoader.TRIMMER);
        out.println(lib);
        if (!pathOnly) {
            String stable = "/usr/local/lib/" + NativeLoader.TRIMMER;
            out.println();
            out.println("Copy it to a stable place (the cache folder changes with each rsslab build):");
            out.println("  install -m 0644 " + lib + " " + stable);
            out.println("Then preload it with an interval (RSSLAB_TRIM_MIN, RSSLAB_TRIM_MAX_BACKOFF and RSSLAB_TRIM_LOG "
                    + "are optional; see the README):");
            out.println("  shell:      LD_PRELOAD=" + stable + " RSSLAB_TRIM_INTERVAL=30s your-program");
            out.println("  systemd:    Environment=LD_PRELOAD=" + stable + " RSSLAB_TRIM_INTERVAL=30s");
            out.println("  Kubernetes: env: [{name: LD_PRELOAD, value: " + stable + "}, {name: RSSLAB_TRIM_INTERVAL, "
                    + "value: 30s}]   (the file in the image or a mounted volume)");
            out.println("Measure it first: rsslab try --variant baseline,trim-every-10s,mmap-threshold -- your-program");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
