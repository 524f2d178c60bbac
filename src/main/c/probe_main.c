/*
 * rsslab-probe: runs one scenario on this process's main thread, as the
 * article's program does, and reports on stdout.
 *
 *   rsslab-probe SCENARIO [--trim] [--format records|seed] [--no-explain] [--malloc-info PATH]
 *                [--thread]   (run the loop on a new thread: a thread arena serves it)
 *                [--pause-after ROUND]   (wait for a line on stdin after that round: records.h)
 *                [--max-rounds N]   (sanitizer tests only: fewer rounds, a different experiment)
 *   rsslab-probe --reap [--report PATH] [--spool DIR] -- COMMAND [ARGS...]   (see reap.h)
 *   rsslab-probe --call PID [--mutex ADDR]... [--wait MS] [--force] malloc_trim PAD | mallopt P V   (inject.h)
 *   rsslab-probe --replay TRACE [--threads recorded|1] [--sample-every N] [--thread]   (see replay.h)
 *
 * The arguments follow child_args.h; the exit codes are exit_codes.h's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "child_args.h"
#include "exit_codes.h"
#include "freeze.h"
#include "inject.h"
#include "reap.h"
#include "records.h"
#include "replay.h"
#include "scenario.h"
#include "seed_output.h"

/* Usage errors are written with write(2): nothing may touch the heap. */
static int usage(const char *why)
{
	static const char text[] =
		"usage: rsslab-probe SCENARIO [--trim] [--format records|seed] [--no-explain]\n"
		"                    [--malloc-info PATH] [--thread] [--pause-after ROUND] [--max-rounds N]\n"
		"       rsslab-probe --reap [--report PATH] [--spool DIR] -- COMMAND [ARGS...]\n"
		"       rsslab-probe --replay TRACE [--threads recorded|1] [--sample-every N] [--thread]\n"
		"                    [--timing recorded|back-to-back] [--speed X]\n"
		"       rsslab-probe --freeze PID\n"
		"       rsslab-probe --call PID [--mutex ADDR]... [--wait MS] [--force] malloc_trim PAD\n"
		"                    | mallopt PARAM VALUE\n";

	if (write(STDERR_FILENO, "rsslab-probe: ", 14) < 0 ||
	    write(STDERR_FILENO, why, strlen(why)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0 ||
	    write(STDERR_FILENO, text, sizeof(text) - 1) < 0)
		return RSSLAB_EXIT_USAGE;
	return RSSLAB_EXIT_USAGE;
}

/* The loop's run, handed to a new thread by --thread. */
struct job {
	const struct scenario *s;
	struct records_options o;
	bool seed;
	int ret;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	j->ret = j->seed ? seed_run(j->s, j->o.trim) : records_run(j->s, &j->o);
	return NULL;
}

/*
 * The same run on a thread that is not the process's main thread, which
 * glibc serves from a thread arena (its own 64 MiB heaps) rather than the
 * main arena's brk heap.
 */
static int run_on_thread(struct job *j)
{
	pthread_t t;

	if (pthread_create(&t, NULL, run_job, j) != 0 || pthread_join(t, NULL) != 0)
		return usage("cannot start the loop's thread");
	return j->ret;
}

/* The arguments after --replay (child_args.h: replay_args_parse, the rules of fork.ReplayArgs). */
static int replay_command(int argc, char *argv[])
{
	struct replay_args r;
	const char *why = replay_args_parse(argc, argv, &r);

	if (why)
		return usage(why);
	return replay_main(r.trace, &r.options, STDOUT_FILENO);
}

int main(int argc, char *argv[])
{
	struct child_args args;
	const struct scenario *s;
	struct scenario scaled;
	struct job j;
	const char *why;

	if (argc >= 2 && strcmp(argv[1], "--reap") == 0) {
		const char *report = NULL, *spool = NULL;
		int at = 2;

		for (; at + 1 < argc && (strcmp(argv[at], "--report") == 0 || strcmp(argv[at], "--spool") == 0);
		     at += 2)
			*(strcmp(argv[at], "--report") == 0 ? &report : &spool) = argv[at + 1];
		if (argc < at + 2 || strcmp(argv[at], "--") != 0)
			return usage("--reap needs -- COMMAND");
		return reap_main(argv + at + 1, report, spool);
	}
	if (argc == 3 && strcmp(argv[1], "--freeze") == 0)
		return freeze_main(argv[2]);
	if (argc >= 2 && strcmp(argv[1], "--call") == 0)
		return inject_main(argc - 2, argv + 2);
	if (argc >= 2 && strcmp(argv[1], "--replay") == 0)
		return replay_command(argc - 2, argv + 2);
	why = child_args_parse(argc - 1, argv + 1, &args);
	if (why)
		return usage(why);
	if (strncmp(args.scenario, REPLAY_SCENARIO_PREFIX, strlen(REPLAY_SCENARIO_PREFIX)) == 0) {
		if (args.seed || args.max_rounds || args.pause_after_round >= 0)
			return usage("a trace scenario takes --trim, --thread, --no-explain and --malloc-info only");
		return replay_rounds(args.scenario, args.thread, args.trim, args.explain, args.malloc_info_path,
				     STDOUT_FILENO);
	}
	s = scenario_lookup(args.scenario, &why);
	if (!s)
		return usage(why);
	if (s->churn && args.seed)
		return usage("--format seed is the article's program; a churn scenario has no such output");
	if (args.max_rounds)
		s = scenario_scaled(s, args.max_rounds, &scaled);
	j = (struct job){
		.s = s, .seed = args.seed,
		.o = {
			.trim = args.trim, .explain = args.explain, .fd = STDOUT_FILENO,
			.host = args.thread ? "thread" : "native",
			.malloc_info_path = args.malloc_info_path,
			.pause_after_round = args.pause_after_round,
		},
	};
	if (args.thread)
		return run_on_thread(&j);
	run_job(&j);
	return j.ret;
}
