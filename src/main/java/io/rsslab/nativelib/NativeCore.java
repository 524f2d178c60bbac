package io.rsslab.nativelib;

/**
 * The C core, called through JNI. Only the forked child JVM runs
 * scenarios; the parent never calls {@link #run}.
 */
public final class NativeCore {

    private NativeCore() {
    }

    /**
     * Runs the scenario on the calling thread. Records (or, with seed, the
     * article program's text) go to this process's standard output.
     *
     * @param explain the per-round explain fields (records only)
     * @param mallocInfoPath where to write malloc_info() XML after the rounds, or null
     * @param pauseAfter the round after which to wait for a line on stdin, or -1
     * @param maxRounds stop after this many rounds (the sanitizer tests' scaling), or 0 for all
     * @return an exit code of src/main/c/exit_codes.h (io.rsslab.fork.ChildExitCode)
     */
    public static native int run(String scenario, boolean trim, boolean seed, boolean explain,
            String mallocInfoPath, int pauseAfter, int maxRounds);

    /** gnu_get_libc_version() of the C library this JVM runs on. */
    public static native String glibcVersion();
}
