/*
 * The parametric scenario "churn" (churn.c): the article's loop with its
 * constants turned into parameters, so that one rig asks where retention
 * begins (block size), how it grows with threads (arenas), how many live
 * blocks pin a heap (seal_every), and what a leak or a rising saw does.
 *
 * The child receives it as one argument, the canonical text that the Java
 * side (io.rsslab.plan.Churn) writes:
 *
 *   churn:LABEL:rounds=20,first_round=1,allocs=64,threads=1,dist=fixed,size=1048576,
 *               shape=saw,free=in-order,seal_every=0,touch=1,seed=0
 *
 * LABEL names where the parameters came from (churn, or a scenario file).
 * Keys, each at most once (what a key does not apply to is not written):
 *
 *   rounds, first_round     the rounds k = first_round .. first_round + rounds - 1
 *   allocs                  blocks each thread allocates per round
 *   threads                 threads, each running its own loop (so its own arena)
 *   dist                    fixed (size) | article ((random() % pages) * 4096, the
 *                           article's example 1) | uniform [min, max] | loguniform [min, max]
 *   size, pages, min, max   the distribution's parameters (bytes; pages a count)
 *   jitter_pages            minus (random() % jitter_pages) * 4096, as the article's example 4
 *   shape                   saw (all freed) | leak (a fraction never freed) | rising (+ step * (k + i))
 *   step, leak              the shape's parameter (bytes; a fraction 0..1)
 *   free                    in-order | reverse | shuffled
 *   seal_every              n > 0: every n-th block stays live into the next round
 *   touch                   the fraction (0..1) of each block's pages written, from its start
 *   seed                    each thread t draws from its own random_r state seeded seed + t;
 *                           thread 0's sequence is srand(seed)/random()'s, so the article's
 *                           sizes come out exactly
 */
#ifndef RSSLAB_CHURN_H
#define RSSLAB_CHURN_H

#include <stdbool.h>

#define CHURN_PREFIX "churn:"
/* Bounds the Java side checks too (Churn.java): the bookkeeping is mmapped up front. */
#define CHURN_MAX_THREADS 64
#define CHURN_MAX_ALLOCS 1000000
#define CHURN_MAX_ROUNDS 10000
#define CHURN_MAX_POINTERS 16000000L	/* per thread: a round's blocks, those sealed and those leaked */
#define CHURN_PPM 1000000L		/* fractions are carried as parts per million */

enum churn_dist { CHURN_FIXED, CHURN_ARTICLE, CHURN_UNIFORM, CHURN_LOGUNIFORM };
enum churn_shape { CHURN_SAW, CHURN_LEAK, CHURN_RISING };
enum churn_order { CHURN_IN_ORDER, CHURN_REVERSE, CHURN_SHUFFLED };

struct churn {
	int rounds, first_round, allocs, threads;
	enum churn_dist dist;
	unsigned long size, min, max, pages, jitter_pages, step;
	enum churn_shape shape;
	long leak_ppm, touch_ppm;
	enum churn_order order;
	int seal_every;
	unsigned int seed;
};

struct scenario;
struct reporter;

/* Whether a scenario name is a churn text. */
bool churn_is(const char *name);

/*
 * Parse a churn text into *out, without touching the heap. Returns NULL, or
 * what is wrong in a few words.
 */
const char *churn_parse(const char *text, struct churn *out);

/*
 * Run it (the rounds s->first_round .. s->last_round, so a scaled scenario
 * runs fewer) with the reporter's hooks called from the calling thread only,
 * between the phases, while every worker thread waits at a barrier. Returns
 * as scenario_run does.
 */
int churn_run(const struct scenario *s, const struct churn *c, bool trim, const struct reporter *r);

/*
 * The bytes still live after the current round's frees (the sealed blocks
 * carried into the next round, and every leaked one), counting of each
 * block the pages the loop wrote (touch): for the settled hook, so that
 * what the program holds is not counted as kept by the allocator.
 */
unsigned long churn_live_bytes(void);

#endif
