/*
 * malloc-large (after mimalloc-bench's bench/malloc-large/malloc-large.cpp): one thread, 500
 * blocks of 5-25 MiB allocated and written, at most 20 live, each new one replacing a random
 * one. glibc's first free of an mmapped block raises the dynamic mmap threshold above it
 * (malloc.c, __libc_free), so the later blocks come from the heap.
 *   malloc-large [BLOCKS=500]
 */
#include <stdio.h>
#include <string.h>
#include "common.h"

#define LIVE 20

int main(int argc, char **argv)
{
	long blocks = argc > 1 ? atol(argv[1]) : 500;
	static char *live[LIVE];
	uint64_t x = 42;

	if (blocks < 1) {
		fprintf(stderr, "usage: malloc-large [BLOCKS]\n");
		return 2;
	}
	for (long i = 0; i < blocks; i++) {
		size_t size = (5u << 20) + next(&x) % (20u << 20);
		int k = (int)(next(&x) % LIVE);

		free(live[k]);
		live[k] = block(size);
		for (size_t off = 0; off < size; off += 4096)	/* the program writes its blocks */
			live[k][off] = 1;
	}
	for (int k = 0; k < LIVE; k++)
		free(live[k]);
	return 0;
}
