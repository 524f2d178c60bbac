/*
 * Unit tests of the C core that need no child process: the loop's guard
 * against a scenario larger than its buffer, hooks left out, and the
 * child's argument rules (the Java side's ChildArgsTest checks the same
 * table against ChildArgs.parse). Run by CTest in the sanitizer build.
 */
#include <stdio.h>
#include <string.h>

#include "child_args.h"
#include "exit_codes.h"
#include "scenario.h"

static int failures;

#define CHECK(cond, what)                                                     \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, what); \
			failures++;                                           \
		}                                                             \
	} while (0)

static int hook_calls;

static int count_round(void *ctx, int k)
{
	(void)ctx;
	(void)k;
	hook_calls++;
	return 0;
}

static unsigned int one_page(int k, int i)
{
	(void)k;
	(void)i;
	return 4096;
}

static void test_buffer_guard(void)
{
	struct scenario too_big = { "too-big", 0, 0, RSSLAB_MAX_ALLOCS + 1, one_page, NULL };
	struct scenario fits = { "fits", 0, 1, RSSLAB_MAX_ALLOCS, one_page, NULL };
	struct reporter r = { .round_started = count_round };

	hook_calls = 0;
	CHECK(scenario_run(&too_big, false, &r) == RSSLAB_EXIT_SCENARIO_INVALID, "a scenario over the buffer is refused");
	CHECK(hook_calls == 0, "before any round starts");
	CHECK(scenario_run(&fits, false, &r) == RSSLAB_EXIT_OK, "a full buffer runs");
	CHECK(hook_calls == 2, "two rounds");
}

static int stop_at_second(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	(void)sum;
	return k == 1 ? RSSLAB_EXIT_PROC_FAILED : 0;
}

static void test_optional_hooks_and_stop(void)
{
	struct scenario s = { "small", 0, 3, 4, one_page, NULL };
	struct reporter none = { .ctx = NULL };
	struct reporter stop = { .settled = stop_at_second, .round_started = count_round };

	CHECK(scenario_run(&s, true, &none) == RSSLAB_EXIT_OK, "every hook may be NULL");
	hook_calls = 0;
	CHECK(scenario_run(&s, false, &stop) == RSSLAB_EXIT_PROC_FAILED, "a hook's code ends the run");
	CHECK(hook_calls == 2, "no round after the stop");
}

struct args_case {
	const char *argv[8];
	const char *error;	/* NULL: accepted */
};

static const struct args_case cases[] = {
	{ { "article-4" }, NULL },
	{ { "article-4", "--trim", "--format", "seed" }, NULL },
	{ { "article-4", "--pause-after", "32", "--malloc-info", "/tmp/x" }, NULL },
	{ { "article-4", "--pause-after", "-1" }, NULL },
	{ { "article-1", "--max-rounds", "2", "--thread", "--no-explain" }, NULL },
	{ { "--trim" }, "no scenario given" },
	{ { "article-4", "--format", "xml" }, "--format takes records or seed" },
	{ { "article-4", "--format" }, "--format takes records or seed" },
	{ { "article-4", "--pause-after", "12abc" }, "--pause-after takes a round number" },
	{ { "article-4", "--pause-after", "99999999999" }, "--pause-after takes a round number" },
	{ { "article-4", "--max-rounds", "0" }, "--max-rounds takes a number of rounds, 1 or more" },
	{ { "article-4", "--malloc-info", "" }, "--malloc-info takes a path" },
	{ { "article-4", "--trim", "--trim" }, "an option is given twice" },
	{ { "article-4", "--bogus" }, "unknown option" },
	{ { "article-4", "extra" }, "unknown option" },
	{ { "article-4", "--format", "seed", "--pause-after", "30" },
	  "--format seed is the article's program: it cannot pause" },
};

static void test_child_args(void)
{
	size_t n;

	for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
		struct child_args a;
		int argc = 0;
		const char *got;

		while (argc < 8 && cases[n].argv[argc])
			argc++;
		got = child_args_parse(argc, (char *const *)cases[n].argv, &a);
		if (cases[n].error == NULL)
			CHECK(got == NULL, cases[n].argv[1] ? cases[n].argv[1] : cases[n].argv[0]);
		else
			CHECK(got && strcmp(got, cases[n].error) == 0, cases[n].error);
	}
}

int main(void)
{
	test_buffer_guard();
	test_optional_hooks_and_stop();
	test_child_args();
	printf("core_test: %d failed\n", failures);
	return failures ? 1 : 0;
}
