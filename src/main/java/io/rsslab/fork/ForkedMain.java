package io.rsslab.fork;

import io.rsslab.nativelib.NativeCore;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.nativelib.NativeUnavailableException;

/**
 * Entry point of the child JVM (host jvm). Takes the probe's arguments,
 * loads the C core and runs the scenario on this JVM's main thread.
 * Standard output belongs to the C core's records: nothing else is
 * printed there.
 */
public final class ForkedMain {

    static final int EXIT_USAGE = 2;
    static final int EXIT_NATIVE_UNAVAILABLE = 4;

    private ForkedMain() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("rsslab child: usage: SCENARIO [--trim] [--format records|seed] [--no-explain] [--malloc-info PATH]");
            System.exit(EXIT_USAGE);
        }
        boolean trim = false;
        boolean seed = false;
        boolean explain = true;
        String mallocInfo = null;
        int pauseAfter = -1;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--trim" -> trim = true;
                case "--no-explain" -> explain = false;
                case "--pause-after" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("rsslab child: --pause-after needs a round");
                        System.exit(EXIT_USAGE);
                    }
                    pauseAfter = Integer.parseInt(args[++i]);
                }
                case "--malloc-info" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("rsslab child: --malloc-info needs a path");
                        System.exit(EXIT_USAGE);
                    }
                    mallocInfo = args[++i];
                }
                case "--format" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("rsslab child: --format needs a value");
                        System.exit(EXIT_USAGE);
                    }
                    seed = "seed".equals(args[++i]);
                }
                default -> {
                    System.err.println("rsslab child: unknown option " + args[i]);
                    System.exit(EXIT_USAGE);
                }
            }
        }
        try {
            NativeLoader.loadLibrary();
        } catch (NativeUnavailableException e) {
            System.err.println("rsslab child: " + e.getMessage());
            System.exit(EXIT_NATIVE_UNAVAILABLE);
        }
        System.exit(NativeCore.run(args[0], trim, seed, explain, mallocInfo, pauseAfter));
    }
}
