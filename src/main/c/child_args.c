#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "child_args.h"

/* A whole decimal int, or false: atoi() would take "12abc" as 12 and "x" as 0. */
static bool parse_int(const char *s, int *out)
{
	char *end;
	long v;

	if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

const char *child_args_parse(int argc, char *const argv[], struct child_args *o)
{
	bool seen_format = false, seen_pause = false, seen_max = false;
	int a;

	*o = (struct child_args){ .explain = true, .pause_after_round = -1 };
	if (argc < 1 || argv[0][0] == '-')
		return "no scenario given";
	o->scenario = argv[0];
	for (a = 1; a < argc; a++) {
		const char *opt = argv[a];
		const char *val = a + 1 < argc ? argv[a + 1] : NULL;

		if (strcmp(opt, "--trim") == 0 && !o->trim) {
			o->trim = true;
		} else if (strcmp(opt, "--no-explain") == 0 && o->explain) {
			o->explain = false;
		} else if (strcmp(opt, "--thread") == 0 && !o->thread) {
			o->thread = true;
		} else if (strcmp(opt, "--format") == 0 && !seen_format) {
			if (!val || (strcmp(val, "records") && strcmp(val, "seed")))
				return "--format takes records or seed";
			o->seed = strcmp(val, "seed") == 0;
			seen_format = true;
			a++;
		} else if (strcmp(opt, "--malloc-info") == 0 && !o->malloc_info_path) {
			if (!val || !*val)
				return "--malloc-info takes a path";
			o->malloc_info_path = val;
			a++;
		} else if (strcmp(opt, "--pause-after") == 0 && !seen_pause) {
			if (!val || !parse_int(val, &o->pause_after_round))
				return "--pause-after takes a round number";
			seen_pause = true;
			a++;
		} else if (strcmp(opt, "--max-rounds") == 0 && !seen_max) {
			if (!val || !parse_int(val, &o->max_rounds) || o->max_rounds < 1)
				return "--max-rounds takes a number of rounds, 1 or more";
			seen_max = true;
			a++;
		} else if (!strncmp(opt, "--", 2) && (strcmp(opt, "--trim") == 0 || strcmp(opt, "--no-explain") == 0
			   || strcmp(opt, "--thread") == 0 || strcmp(opt, "--format") == 0
			   || strcmp(opt, "--malloc-info") == 0 || strcmp(opt, "--pause-after") == 0
			   || strcmp(opt, "--max-rounds") == 0)) {
			return "an option is given twice";
		} else {
			return "unknown option";
		}
	}
	if (o->seed && o->pause_after_round >= 0)
		return "--format seed is the article's program: it cannot pause";
	return NULL;
}

const char *replay_args_parse(int argc, char *const argv[], struct replay_args *out)
{
	struct replay_options *o = &out->options;
	bool threads_seen = false, timing_seen = false;
	long every = 0;
	char *end;

	if (argc < 1 || argv[0][0] == '-')
		return "--replay needs a trace file";
	out->trace = argv[0];
	*o = (struct replay_options){ .speed = 0 };
	for (int i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "--thread") == 0 && !o->thread_host) {
			o->thread_host = true;
			i--;
			continue;
		}
		if (i + 1 >= argc)
			return "--replay: an option without its value";
		if (strcmp(argv[i], "--threads") == 0 && !threads_seen) {
			threads_seen = true;
			if (strcmp(argv[i + 1], "1") == 0)
				o->one_thread = true;
			else if (strcmp(argv[i + 1], "recorded") != 0)
				return "--threads is recorded or 1";
		} else if (strcmp(argv[i], "--sample-every") == 0 && every == 0) {
			errno = 0;
			every = strtol(argv[i + 1], &end, 10);
			if (errno || *end || every < 1)
				return "--sample-every needs a whole number of calls, at least 1";
		} else if (strcmp(argv[i], "--timing") == 0 && !timing_seen) {
			timing_seen = true;
			if (strcmp(argv[i + 1], "recorded") == 0)
				o->timing_recorded = true;
			else if (strcmp(argv[i + 1], "back-to-back") != 0)
				return "--timing is recorded or back-to-back";
		} else if (strcmp(argv[i], "--speed") == 0 && o->speed == 0) {
			errno = 0;
			o->speed = strtod(argv[i + 1], &end);
			if (errno || *end || !(o->speed >= 0.001 && o->speed <= 1000000))
				return "--speed needs a number from 0.001 to 1000000";
		} else {
			return "--replay: unknown or repeated option";
		}
	}
	if (o->speed != 0 && !o->timing_recorded)
		return "--speed goes with --timing recorded";
	o->speed = o->speed ? o->speed : 1;
	o->sample_every = every ? every : 100000;
	return NULL;
}
