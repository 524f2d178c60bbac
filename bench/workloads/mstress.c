/*
 * mstress-like (after mimalloc's test/test-stress.c, run by mimalloc-bench as
 * `mstress THREADS 50 25`): ITER iterations; in each, THREADS new threads allocate objects
 * of a power-law size (mostly 8-800 bytes, one in 100 ten times that, one in 10,000 a
 * hundred times), keep them in their own array and in a shared transfer array that any
 * thread swaps from (so objects are freed by other threads and live across iterations),
 * and free most of their own before they end. Between iterations the main thread pauses
 * PAUSE_MS (test-stress runs iterations back to back; the pause is what makes it time-
 * dependent here: an allocator that returns memory by time, jemalloc's decay, does so
 * in these gaps, glibc does not). Every object is written whole, as test-stress's
 * alloc_items does (so a replay, which writes every page, holds what this program held).
 *   mstress [THREADS=4] [ITER=20] [SCALE=25] [PAUSE_MS=50]
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "common.h"

#define TRANSFER 1000

static _Atomic(char *) transfer[TRANSFER];
static long scale = 25;

static size_t object_size(uint64_t *x)
{
	size_t items = 1 + next(x) % 100;

	if (next(x) % 100 == 0)
		items *= 10;
	if (next(x) % 10000 == 0)
		items *= 100;
	return items * sizeof(uintptr_t);
}

static char *object(uint64_t *x)
{
	size_t size = object_size(x);
	char *p = block(size);

	memset(p, 1, size);
	return p;
}

static void *stress(void *arg)
{
	uint64_t x = (uint64_t)(uintptr_t)arg * 0x9e3779b97f4a7c15ull + 1;
	long cap = scale * 1000, n = 0, steps = scale * 5000;
	char **data = calloc((size_t)cap, sizeof(char *));

	for (long i = 0; i < steps; i++) {
		uint64_t r = next(&x) % 100;

		if (r < 50 && n < cap) {
			data[n++] = object(&x);
		} else if (r < 80 && n > 0) {
			long k = (long)(next(&x) % (uint64_t)n);

			free(data[k]);
			data[k] = data[--n];
		} else {
			/* swap an object with the transfer array: another thread's object is now ours */
			long k = (long)(next(&x) % TRANSFER);
			char *mine = object(&x);

			free(__atomic_exchange_n(&transfer[k], mine, __ATOMIC_ACQ_REL));
		}
	}
	for (long k = 0; k < n; k++)
		if (next(&x) % 10)	/* most freed; one in ten leaked to the end of the program */
			free(data[k]);
	free(data);
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 4, iter = argc > 2 ? atoi(argv[2]) : 20;
	long pause_ms = argc > 4 ? atol(argv[4]) : 50;
	pthread_t *t;

	if (argc > 3)
		scale = atol(argv[3]);
	if (threads < 1 || iter < 1 || scale < 1 || pause_ms < 0) {
		fprintf(stderr, "usage: mstress [THREADS] [ITER] [SCALE] [PAUSE_MS]\n");
		return 2;
	}
	t = calloc((size_t)threads, sizeof(*t));
	for (int it = 0; it < iter; it++) {
		struct timespec pause = { pause_ms / 1000, (pause_ms % 1000) * 1000000 };

		for (int i = 0; i < threads; i++)
			if (pthread_create(&t[i], NULL, stress, (void *)(uintptr_t)(it * threads + i + 1)) != 0)
				return 4;
		for (int i = 0; i < threads; i++)
			pthread_join(t[i], NULL);
		nanosleep(&pause, NULL);
	}
	for (int k = 0; k < TRANSFER; k++)
		free(transfer[k]);
	free(t);
	return 0;
}
