/*
 * Four threads, each allocating blocks (16 B to 2 kB, one in 64 of 100-400 kB)
 * into the others' pools and freeing what it replaces there: every free is of
 * a block another thread allocated (larson's pattern). Every byte of each
 * block is written, so a replay, which writes every page, holds what this
 * program held. The main thread then frees half the pools and keeps the rest.
 * ReplayThreadsTest records and replays it; argv[1]: rounds per thread.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 4
#define SLOTS 4096

static _Atomic(void *) pool[THREADS][SLOTS];
static long rounds = 100000;

static void *run(void *arg)
{
	int me = (int)(intptr_t)arg;
	uint64_t x = 88172645463325252ull ^ (uint64_t)me;

	for (long i = 0; i < rounds; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t size = 16 + (x % 2000);
		if ((x >> 40) % 64 == 0)
			size = 100000 + (x % 300000);
		void *p = malloc(size);
		memset(p, 1, size);
		int other = (me + 1 + (int)((x >> 20) % (THREADS - 1))) % THREADS;
		free(atomic_exchange(&pool[other][(x >> 8) % SLOTS], p));
	}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];

	if (argc > 1)
		rounds = atol(argv[1]);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, run, (void *)(intptr_t)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		for (int j = 0; j < SLOTS; j += 2)
			free(atomic_exchange(&pool[i][j], NULL));
	return 0;
}
