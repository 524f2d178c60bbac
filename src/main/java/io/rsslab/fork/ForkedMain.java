package io.rsslab.fork;

import java.util.List;

import io.rsslab.nativelib.NativeCore;
import io.rsslab.nativelib.NativeLoader;
import io.rsslab.nativelib.NativeUnavailableException;

/**
 * Entry point of the child JVM (host jvm). Takes the probe's arguments
 * (ChildArgs, the same rules and messages as child_args.c), loads the C
 * core and runs the scenario on this JVM's main thread. Standard output
 * belongs to the C core's records: nothing else is printed there.
 */
public final class ForkedMain {

    private ForkedMain() {
    }

    public static void main(String[] argv) {
        ChildArgs args;
        try {
            args = ChildArgs.parse(List.of(argv));
        } catch (ChildArgs.Refused e) {
            exit(ChildExitCode.USAGE, e.getMessage());
            return;
        }
        if (args.thread()) {
            // The jvm host runs the loop on the JVM's main Java thread; the thread host is the probe's.
            exit(ChildExitCode.USAGE, "--thread is the probe's (host thread), not the child JVM's");
            return;
        }
        try {
            NativeLoader.loadLibrary();
        } catch (NativeUnavailableException e) {
            exit(ChildExitCode.NATIVE_UNAVAILABLE, e.getMessage());
            return;
        }
        System.exit(NativeCore.run(args.scenario(), args.trim(), args.seed(), args.explain(), args.mallocInfo(),
                args.pauseAfter() == null ? -1 : args.pauseAfter(), args.maxRounds() == null ? 0 : args.maxRounds()));
    }

    private static void exit(ChildExitCode code, String why) {
        System.err.println("rsslab child: " + why);
        System.exit(code.code());
    }
}
