/*
 * The article's loops, exact.
 *
 * This file is compiled with -fno-builtin-malloc -fno-builtin-free (see
 * CMakeLists.txt): without them GCC may treat a malloc whose only use is a
 * later free as removable, or fold the page-touch stores away. The
 * experiment is the allocator's reaction to these calls, so every one of
 * them must reach glibc.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "scenario.h"

/* Example 1 (RHEL 8, glibc 2.28): 256 allocations of 0..32 MiB - 4 KiB. */
static unsigned int article1_size(int k, int i)
{
	(void)k;
	(void)i;
	unsigned int size = (random() % 8192) * 4096;
	return size;
}

/* Example 4 (RHEL 6, glibc 2.12): 3 allocations of about (k + i) MiB. */
static unsigned int article4_size(int k, int i)
{
	unsigned int size = (k + i) * 1048576 - (random() % 16) * 4096;
	return size;
}

static const struct scenario scenarios[] = {
	{ "article-1", 0, 19, 256, article1_size, NULL },
	{ "article-4", 28, 32, 3, article4_size, NULL },
};

const struct scenario *scenario_find(const char *name)
{
	size_t n;

	for (n = 0; n < sizeof(scenarios) / sizeof(scenarios[0]); n++)
		if (strcmp(scenarios[n].name, name) == 0)
			return &scenarios[n];
	return NULL;
}

const struct scenario *scenario_lookup(const char *name, const char **why)
{
	static struct churn churn;
	static struct scenario parsed;
	const struct scenario *s = scenario_find(name);

	*why = NULL;
	if (s)
		return s;
	if (!churn_is(name)) {
		*why = "unknown scenario";
		return NULL;
	}
	if ((*why = churn_parse(name, &churn)))
		return NULL;
	parsed = (struct scenario){
		.name = name, .first_round = churn.first_round, .last_round = churn.first_round + churn.rounds - 1,
		.allocs = churn.allocs, .churn = &churn,
	};
	return &parsed;
}

const struct scenario *scenario_scaled(const struct scenario *s, int max_rounds, struct scenario *out)
{
	*out = *s;
	if (max_rounds > 0 && s->first_round + max_rounds - 1 < s->last_round)
		out->last_round = s->first_round + max_rounds - 1;
	return out;
}

/*
 * The body of the article's main(), statement for statement: the same
 * types (unsigned int size, int j compared with it), the same seeding, the
 * same touch of the first byte of every page, the same free order. The
 * optional hooks only read (a chunk header, a clock); the seed reporter has
 * none, so its run is the article's program.
 */
/* A hook that is not there goes on. */
#define CALL(hook, ...) (r->hook ? r->hook(r->ctx, __VA_ARGS__) : 0)

int scenario_run(const struct scenario *s, bool trim, const struct reporter *r)
{
	static char *buf[RSSLAB_MAX_ALLOCS];
	int i, j, k, stop;

	if (s->churn)
		return churn_run(s, s->churn, trim, r);
	/* buf holds one round's live blocks: a larger scenario would overrun it. */
	if (s->allocs < 0 || s->allocs > RSSLAB_MAX_ALLOCS)
		return RSSLAB_EXIT_SCENARIO_INVALID;
	srand(0);
	for (k = s->first_round; k <= s->last_round; k++) {
		unsigned long sum = 0;
		if ((stop = CALL(round_started, k)))
			return stop;
		for (i = 0; i < s->allocs; i++) {
			unsigned int size = s->size(k, i);
			char *cp = malloc(size);
			if (!cp) {
				if (r->malloc_failed)
					r->malloc_failed(r->ctx, k, i, size);
				return RSSLAB_EXIT_MALLOC_FAILED;
			}
			if (r->malloced)
				r->malloced(r->ctx, k, i, cp);
			for (j = 0; j < size; j += 4096)
				cp[j] = 1;
			sum += size;
			buf[i] = cp;
		}
		if ((stop = CALL(allocated, k, sum)))
			return stop;
		for (i = 0; i < s->allocs; i++) {
			if (r->freeing)
				r->freeing(r->ctx, k, i, buf[i]);
			free(buf[i]);
		}
		if ((stop = CALL(freed, k, sum)))
			return stop;
		if (trim)
			malloc_trim(0);
		if ((stop = CALL(settled, k, sum)))
			return stop;
	}
	return RSSLAB_EXIT_OK;
}
