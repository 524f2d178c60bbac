/*
 * Frees what it allocated (190 MiB in 2 kB blocks), then keeps allocating
 * slowly (a 40 kB block every 2 ms, argv[1] times: 4 s for 2000), longer
 * than jemalloc's decay time: jemalloc returns the freed pages as the time
 * passes, glibc's malloc does not care. ReplayThreadsTest replays it with and
 * without its timing.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BLOCKS 100000

static void *p[BLOCKS];

int main(int argc, char **argv)
{
	int slow = argc > 1 ? atoi(argv[1]) : 2000;
	struct timespec gap = { 0, 2000000 };

	for (int i = 0; i < BLOCKS; i++) {
		p[i] = malloc(2000);
		memset(p[i], 1, 2000);
	}
	for (int i = 0; i < BLOCKS; i++)
		free(p[i]);
	for (int i = 0; i < slow; i++) {
		void *volatile q = malloc(40000);

		memset(q, 2, 64);
		free(q);
		nanosleep(&gap, NULL);
	}
	return 0;
}
