/*
 * rptest-like (after rpmalloc-benchmark's benchmark/main.c, run by mimalloc-bench as
 * `rptest THREADS 0 1 2 500 1000 100 8 16000`): THREADS threads, each LOOPS loops; a loop
 * allocates a working set of BLOCKS blocks of 8-16,000 bytes (small ones most likely),
 * frees a random half, hands the rest to the next thread (which frees them in its next
 * loop: rptest's cross-thread deallocation), and sleeps PAUSE_MS: the program's working set
 * rises and falls with time, and an allocator that returns memory by time (jemalloc's
 * decay) does so in the pauses.
 *   rptest [THREADS=4] [LOOPS=100] [BLOCKS=2000] [PAUSE_MS=20]
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include "common.h"

static int threads = 4;
static long loops = 100, blocks = 2000, pause_ms = 20;
static char ***inbox;		/* inbox[t]: what thread t's predecessor handed it, blocks/2 slots */
static pthread_barrier_t step;

static size_t size_of(uint64_t *x)
{
	uint64_t r = next(x) % 16;	/* rptest's distribution favours small blocks */

	return r < 12 ? 8 + next(x) % 256 : r < 15 ? 256 + next(x) % 4096 : 4096 + next(x) % 11905;
}

static void *run(void *arg)
{
	int me = (int)(intptr_t)arg, to = (me + 1) % threads;
	uint64_t x = 0x2545f4914f6cdd1dull * (uint64_t)(me + 1);
	char **set = calloc((size_t)blocks, sizeof(char *));
	struct timespec pause = { pause_ms / 1000, (pause_ms % 1000) * 1000000 };

	for (long l = 0; l < loops; l++) {
		for (long k = 0; k < blocks; k++)
			set[k] = block(size_of(&x));
		for (long k = blocks - 1; k > 0; k--) {	/* shuffled, then half freed */
			long j = (long)(next(&x) % (uint64_t)(k + 1));
			char *s = set[k];

			set[k] = set[j];
			set[j] = s;
		}
		for (long k = 0; k < blocks / 2; k++)
			free(set[k]);
		pthread_barrier_wait(&step);	/* everyone's inbox is empty: hand the other half over */
		for (long k = blocks / 2; k < blocks; k++)
			inbox[to][k - blocks / 2] = set[k];
		pthread_barrier_wait(&step);
		for (long k = 0; k < blocks - blocks / 2; k++) {	/* the predecessor's blocks freed here */
			free(inbox[me][k]);
			inbox[me][k] = NULL;
		}
		nanosleep(&pause, NULL);
	}
	free(set);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t *t;

	if (argc > 1)
		threads = atoi(argv[1]);
	if (argc > 2)
		loops = atol(argv[2]);
	if (argc > 3)
		blocks = atol(argv[3]);
	if (argc > 4)
		pause_ms = atol(argv[4]);
	if (threads < 1 || loops < 1 || blocks < 2 || pause_ms < 0) {
		fprintf(stderr, "usage: rptest [THREADS] [LOOPS] [BLOCKS] [PAUSE_MS]\n");
		return 2;
	}
	pthread_barrier_init(&step, NULL, (unsigned)threads);
	inbox = calloc((size_t)threads, sizeof(char **));
	t = calloc((size_t)threads, sizeof(*t));
	for (int i = 0; i < threads; i++)
		inbox[i] = calloc((size_t)(blocks - blocks / 2), sizeof(char *));
	for (int i = 0; i < threads; i++)
		if (pthread_create(&t[i], NULL, run, (void *)(intptr_t)i) != 0)
			return 4;
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < threads; i++)
		free(inbox[i]);
	free(inbox);
	free(t);
	return 0;
}
