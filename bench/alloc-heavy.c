/*
 * An allocation-heavy program for bench/record-replay.sh: N rounds of one
 * malloc of 16 to 4111 bytes (a fixed pseudo-random sequence) into a window
 * of 4,096 live blocks, freeing the block it replaces: 2 x N calls, a live
 * set that stays small, so that a trace of it grows while its live-pointer
 * table does not.
 *   alloc-heavy N
 */
#include <stdint.h>
#include <stdlib.h>

#define WINDOW 4096

int main(int argc, char *argv[])
{
	static void *live[WINDOW];
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	uint32_t x = 12345;

	for (long i = 0; i < n; i++) {
		size_t at = (size_t)i % WINDOW;

		x = x * 1103515245u + 12345u;
		free(live[at]);
		live[at] = malloc(16 + (x >> 16) % 4096);
		if (!live[at])
			return 1;
		*(volatile char *)live[at] = 1;
	}
	for (size_t i = 0; i < WINDOW; i++)
		free(live[i]);
	return 0;
}
