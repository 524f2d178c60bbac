/*
 * The article's two experiments as data plus one loop (scenario.c).
 *
 * A scenario is the article's program minus its output: the round labels,
 * the number of live allocations per round and the size expression. The
 * loop that allocates, touches, frees and optionally trims is shared, so
 * both scenarios run the identical sequence of random(), malloc(), page
 * touches and free() calls that the article's program runs.
 */
#ifndef RSSLAB_SCENARIO_H
#define RSSLAB_SCENARIO_H

#include <stdbool.h>

#include "churn.h"

/* The most allocations any scenario keeps live in one round (article-1). */
#define RSSLAB_MAX_ALLOCS 256

/*
 * Where the loop reports. Called at exactly the points where the article's
 * program calls printf/show_rss, so a reporter that prints the article's
 * text is the article's program. Reporters must not allocate unless they
 * are reproducing an allocation the article's program makes.
 *
 * Every hook is optional (NULL: nothing happens there). The phase hooks
 * return 0 to go on, or an exit code (exit_codes.h) that ends the run.
 */
struct reporter {
	int (*round_started)(void *ctx, int k);
	void (*malloced)(void *ctx, int k, int i, const char *cp);
	void (*freeing)(void *ctx, int k, int i, const char *cp);
	int (*allocated)(void *ctx, int k, unsigned long sum);
	int (*freed)(void *ctx, int k, unsigned long sum);
	int (*settled)(void *ctx, int k, unsigned long sum);
	void (*malloc_failed)(void *ctx, int k, int i, unsigned long size);
	void *ctx;
};

struct scenario {
	const char *name;
	int first_round;	/* the article's k, inclusive */
	int last_round;		/* inclusive */
	int allocs;		/* allocations live at once, freed in index order */
	unsigned int (*size)(int k, int i);
	const struct churn *churn;	/* a churn scenario (churn.h) instead of size; NULL for the article's */
};

/* NULL if no scenario has that name. */
const struct scenario *scenario_find(const char *name);

/*
 * scenario_find, and a churn text (churn.h) parsed into a static scenario;
 * NULL with *why set when the name is neither.
 */
const struct scenario *scenario_lookup(const char *name, const char **why);

/*
 * Run the article's loop. Returns RSSLAB_EXIT_OK; RSSLAB_EXIT_MALLOC_FAILED
 * when malloc returned NULL (the article's program returns 1 from main at
 * that point); RSSLAB_EXIT_SCENARIO_INVALID when s->allocs does not fit
 * the loop's buffer; or the first non-zero code a hook returned.
 */
int scenario_run(const struct scenario *s, bool trim, const struct reporter *r);

/*
 * The same scenario stopped after max_rounds rounds, for the sanitizer tests
 * only (ASan's shadow memory makes a 4 GB round slow); writes into *out.
 */
const struct scenario *scenario_scaled(const struct scenario *s, int max_rounds, struct scenario *out);

#endif
