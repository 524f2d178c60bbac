/*
 * rsslab-probe: runs one scenario on this process's main thread, as the
 * article's program does, and reports on stdout.
 *
 *   rsslab-probe SCENARIO [--trim] [--format records|seed] [--no-explain] [--malloc-info PATH]
 *                [--thread]   (run the loop on a new thread: a thread arena serves it)
 *                [--pause-after ROUND]   (wait for a line on stdin after that round: records.h)
 *                [--max-rounds N]   (sanitizer tests only: fewer rounds, a different experiment)
 *   rsslab-probe --reap -- COMMAND [ARGS...]   (see reap.h)
 *
 * Exit: 0 done, 1 malloc failed (as the article's program), 2 usage,
 * 3 records could not be written.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reap.h"
#include "records.h"
#include "scenario.h"
#include "seed_output.h"

#define EXIT_USAGE 2

/* Usage errors are written with write(2): nothing may touch the heap. */
static int usage(const char *why)
{
	static const char text[] =
		"usage: rsslab-probe SCENARIO [--trim] [--format records|seed] [--no-explain]\n"
		"                    [--malloc-info PATH] [--thread] [--pause-after ROUND]\n"
		"       rsslab-probe --reap -- COMMAND [ARGS...]\n";

	if (write(STDERR_FILENO, "rsslab-probe: ", 14) < 0 ||
	    write(STDERR_FILENO, why, strlen(why)) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0 ||
	    write(STDERR_FILENO, text, sizeof(text) - 1) < 0)
		return EXIT_USAGE;
	return EXIT_USAGE;
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

int main(int argc, char *argv[])
{
	const struct scenario *s;
	bool seed = false, thread = false;
	struct records_options o = {
		.trim = false, .explain = true, .host = "native", .fd = STDOUT_FILENO,
		.pause_after_round = -1,
	};
	struct job j;
	struct scenario scaled;
	int a;

	if (argc < 2)
		return usage("no scenario given");
	if (strcmp(argv[1], "--reap") == 0) {
		if (argc < 4 || strcmp(argv[2], "--") != 0)
			return usage("--reap needs -- COMMAND");
		return reap_main(argv + 3);
	}
	s = scenario_find(argv[1]);
	if (!s)
		return usage("unknown scenario");
	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--trim") == 0)
			o.trim = true;
		else if (strcmp(argv[a], "--no-explain") == 0)
			o.explain = false;
		else if (strcmp(argv[a], "--thread") == 0)
			thread = true;
		else if (strcmp(argv[a], "--pause-after") == 0 && a + 1 < argc)
			o.pause_after_round = atoi(argv[++a]);
		else if (strcmp(argv[a], "--max-rounds") == 0 && a + 1 < argc)
			s = scenario_scaled(s, atoi(argv[++a]), &scaled);
		else if (strcmp(argv[a], "--malloc-info") == 0 && a + 1 < argc)
			o.malloc_info_path = argv[++a];
		else if (strcmp(argv[a], "--format") == 0 && a + 1 < argc) {
			a++;
			if (strcmp(argv[a], "seed") == 0)
				seed = true;
			else if (strcmp(argv[a], "records") == 0)
				seed = false;
			else
				return usage("--format takes records or seed");
		} else {
			return usage("unknown option");
		}
	}
	if (thread) {
		o.host = "thread";
		j = (struct job){ .s = s, .o = o, .seed = seed };
		return run_on_thread(&j);
	}
	if (seed)
		return seed_run(s, o.trim);
	return records_run(s, &o);
}
