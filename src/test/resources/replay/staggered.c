/*
 * Eight threads, one after another: each allocates 8,000 blocks of 16-1,000 bytes
 * (about 4 MiB), frees all but one in 64 (the kept ones pin its heap, so it cannot
 * shrink) and then waits, alive, until every thread has had its turn. Each thread has
 * an arena of its own under glibc's defaults (eight arenas, each holding its thread's
 * peak); under MALLOC_ARENA_MAX=2 the later threads reuse what the earlier ones freed
 * in the two arenas they share (arena.c, reused_arena). So the variants' order is decided
 * by the program's structure, not by its threads' interleaving: ReplayThreadsTest holds
 * the replay to the order try finds. argv[1]: blocks per thread.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#define THREADS 8

static long blocks = 8000;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_moved = PTHREAD_COND_INITIALIZER;
static int turn;

static void *run(void *arg)
{
	int me = (int)(intptr_t)arg;
	uint64_t x = 0x9e3779b97f4a7c15ull * (uint64_t)(me + 1);
	char **b = calloc((size_t)blocks, sizeof(char *));

	pthread_mutex_lock(&lock);
	while (turn != me)
		pthread_cond_wait(&turn_moved, &lock);
	pthread_mutex_unlock(&lock);
	for (long i = 0; i < blocks; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		size_t size = 16 + x % 985;
		b[i] = malloc(size);
		b[i][0] = b[i][size - 1] = 1;
	}
	for (long i = 0; i < blocks; i++)
		if (i % 64 != 63)
			free(b[i]);
	pthread_mutex_lock(&lock);
	turn++;
	pthread_cond_broadcast(&turn_moved);
	while (turn < THREADS)
		pthread_cond_wait(&turn_moved, &lock);
	pthread_mutex_unlock(&lock);
	return b;
}

int main(int argc, char **argv)
{
	pthread_t t[THREADS];
	char **b[THREADS];

	if (argc > 1)
		blocks = atol(argv[1]);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, run, (void *)(intptr_t)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], (void **)&b[i]);
	for (int i = 0; i < THREADS; i++) {
		for (long k = 63; k < blocks; k += 64)
			free(b[i][k]);
		free(b[i]);
	}
	return 0;
}
