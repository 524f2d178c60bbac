/*
 * The exit codes of rsslab's children: rsslab-probe (native and thread
 * hosts), the JNI entry point and the child JVM's ForkedMain (jvm host).
 * The Java side names the same codes in io.rsslab.fork.ChildExitCode; a
 * test (ChildExitCodeTest) reads this file and checks that both agree.
 */
#ifndef RSSLAB_EXIT_CODES_H
#define RSSLAB_EXIT_CODES_H

/* Every round ran and every record was written. */
#define RSSLAB_EXIT_OK 0
/* malloc returned NULL: the article's program returns 1 at that point too. */
#define RSSLAB_EXIT_MALLOC_FAILED 1
/* The child's arguments are wrong (child_args.c, ChildArgs.java). */
#define RSSLAB_EXIT_USAGE 2
/* A record could not be written (stdout closed or full). */
#define RSSLAB_EXIT_OUTPUT_FAILED 3
/* The child JVM could not load librsslab.so. */
#define RSSLAB_EXIT_NATIVE_UNAVAILABLE 4
/* A /proc reading failed; an "error" record says which. */
#define RSSLAB_EXIT_PROC_FAILED 5
/* A scenario asks for more live blocks than the loop's buffer holds. */
#define RSSLAB_EXIT_SCENARIO_INVALID 6
/* --call refused to touch the process (inject.h): one line names the rule. */
#define RSSLAB_EXIT_REFUSED 7
/* The reaper could not start the command (as a shell's 127). */
#define RSSLAB_EXIT_EXEC_FAILED 127

#endif
