/*
 * larson-like (after mimalloc-bench's bench/larson/larson.cpp, P. Larson and M. Krishnan,
 * "Memory allocation for long-running server applications", ISMM 1998; run there as
 * `larson 5 8 1000 5000 100 4141 THREADS`): THREADS threads, each owning SLOTS slots; a
 * round frees a random slot's block and puts a new one of 10-1000 bytes there. After
 * ROUNDS rounds a thread hands its slots, blocks and all, to a new thread and ends, so
 * every block is freed by a later thread than the one that allocated it, and glibc
 * gives the new thread the ended one's arena back (arena.c, get_free_list), as in larson.
 * Each block's first and last bytes are written (larson writes its first bytes).
 *   larson [THREADS=4] [SLOTS=5000] [ROUNDS=100000] [GENERATIONS=10]
 * calls: THREADS * (SLOTS + 2 * ROUNDS * GENERATIONS + SLOTS)
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include "common.h"

struct lane {
	char **slot;
	uint64_t x;
	int generation;
};

static long slots = 5000, rounds = 100000;
static int generations = 10;

/* a block of 10-1,000 bytes (larson's min and max sizes, 8 and 1000 in mimalloc-bench's run) */
static char *larson_block(uint64_t *x)
{
	return block(10 + next(x) % 991);
}

static void *run(void *arg)
{
	struct lane *l = arg;
	pthread_t t;

	for (long i = 0; i < rounds; i++) {
		long k = (long)(next(&l->x) % (uint64_t)slots);

		free(l->slot[k]);
		l->slot[k] = larson_block(&l->x);
	}
	if (__atomic_add_fetch(&l->generation, 1, __ATOMIC_ACQ_REL) < generations) {
		/* the next thread takes the slots over; this one ends (larson's exercise_heap) */
		if (pthread_create(&t, NULL, run, l) != 0)
			exit(4);
		pthread_detach(t);
		return NULL;
	}
	return l;	/* the last generation: main frees what is left */
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4;
	struct lane *lane;
	pthread_t *t;

	if (argc > 2)
		slots = atol(argv[2]);
	if (argc > 3)
		rounds = atol(argv[3]);
	if (argc > 4)
		generations = atoi(argv[4]);
	if (threads < 1 || slots < 1 || rounds < 1 || generations < 1) {
		fprintf(stderr, "usage: larson [THREADS] [SLOTS] [ROUNDS] [GENERATIONS]\n");
		return 2;
	}
	lane = calloc((size_t)threads, sizeof(*lane));
	t = calloc((size_t)threads, sizeof(*t));
	for (int i = 0; i < threads; i++) {
		lane[i].x = 88172645463325252ull + 7919u * (uint64_t)i;
		lane[i].slot = calloc((size_t)slots, sizeof(char *));
		for (long k = 0; k < slots; k++)
			lane[i].slot[k] = larson_block(&lane[i].x);	/* larson's warm-up, on the main thread */
	}
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, run, &lane[i]) != 0)
			return 4;
	/* the first generation is joined; the later ones are detached: wait for the last of each lane */
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	for (int done = 0; !done;) {
		done = 1;
		for (int i = 0; i < threads; i++)
			done &= __atomic_load_n(&lane[i].generation, __ATOMIC_ACQUIRE) >= generations;
		if (!done)
			sched_yield();
	}
	for (int i = 0; i < threads; i++) {
		for (long k = 0; k < slots; k++)
			free(lane[i].slot[k]);
		free(lane[i].slot);
	}
	free(lane);
	free(t);
	return 0;
}
