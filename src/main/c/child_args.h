/*
 * The arguments of a run's child, parsed by the same rules as the Java
 * side's io.rsslab.fork.ChildArgs (which also produces them):
 *
 *   SCENARIO [--trim] [--format records|seed] [--no-explain] [--thread]
 *            [--malloc-info PATH] [--pause-after ROUND] [--max-rounds N]
 *
 * Each option at most once; ROUND a decimal integer (it may be negative:
 * no such round, no pause), N a decimal integer >= 1; nothing else.
 * --max-rounds scales a scenario down for the sanitizer tests only.
 */
#ifndef RSSLAB_CHILD_ARGS_H
#define RSSLAB_CHILD_ARGS_H

#include <stdbool.h>

#include "replay.h"

struct child_args {
	const char *scenario;
	bool trim;
	bool seed;
	bool explain;
	bool thread;
	const char *malloc_info_path;	/* NULL: none */
	int pause_after_round;		/* -1: none */
	int max_rounds;			/* 0: all of them */
};

/*
 * Parse argv[0..argc) (the arguments after the program name). Returns NULL,
 * or the reason in one line when they are wrong (RSSLAB_EXIT_USAGE).
 */
const char *child_args_parse(int argc, char *const argv[], struct child_args *out);

/*
 * The replayer's arguments, after --replay, parsed by the same rules as the
 * Java side's io.rsslab.fork.ReplayArgs (which produces them):
 *
 *   TRACE [--threads recorded|1] [--sample-every N] [--thread]
 *         [--timing recorded|back-to-back] [--speed X]
 *
 * TRACE first, not beginning with '-'; each option at most once; N a
 * decimal integer >= 1 (default 100000); X a decimal number from 0.001 to
 * 1000000 (default 1), only with --timing recorded.
 */
struct replay_args {
	const char *trace;
	struct replay_options options;
};

/* Parse argv[0..argc); NULL, or the reason in one line (RSSLAB_EXIT_USAGE). */
const char *replay_args_parse(int argc, char *const argv[], struct replay_args *out);

#endif
