/*
 * Frees what it allocated (190 MiB in 2 kB blocks), then keeps allocating
 * slowly (ten 40 kB blocks every 2 ms, argv[1] times: 6 s for 3000), longer
 * than the decay time ReplayThreadsTest gives jemalloc (4 s): jemalloc returns the freed pages as the time
 * passes, glibc's malloc does not care. ReplayThreadsTest replays it with and
 * without its timing.
 *
 * Ten calls per pause, not one: jemalloc 5.3 purges only when its decay
 * ticker fires, after a random number of calls (about 1,000 on average), so
 * with 4,000 calls in 4 s one run in four kept 40-180 MiB at the end (measured
 * here, 8 runs). With 40,000 every run ended at 11 MiB.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCKS 100000

static void *p[BLOCKS];

int main(int argc, char **argv)
{
	int slow = argc > 1 ? atoi(argv[1]) : 3000;
	struct timespec gap = { 0, 2000000 };

	for (int i = 0; i < BLOCKS; i++) {
		p[i] = malloc(2000);
		memset(p[i], 1, 2000);
	}
	for (int i = 0; i < BLOCKS; i++)
		free(p[i]);
	for (int i = 0; i < slow; i++) {
		for (int k = 0; k < 10; k++) {
			void *volatile q = malloc(40000);

			memset(q, 2, 64);
			free(q);
		}
		nanosleep(&gap, NULL);
	}
	return 0;
}
