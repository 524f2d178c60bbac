/*
 * CallSitesTest's program: raise_it() frees a 20 MiB mmapped block (the heap
 * is still small, so malloc mmaps it), which raises glibc's dynamic mmap
 * threshold to its chunk size; fill() takes 64 MiB of 16 KiB blocks, pin_it()
 * one 1000-byte block above them, drop() frees the 64 MiB: pin_it's block
 * holds all of it, as the top cannot shrink past it.
 */
#include <stdlib.h>
#include <string.h>

static void *keep[4096];
static void *pinned;

__attribute__((noinline)) static void raise_it(void)
{
	char *volatile p = malloc(20u << 20);

	memset(p, 3, 20u << 20);
	free(p);
}

__attribute__((noinline)) static void fill(void)
{
	for (int i = 0; i < 4096; i++) {
		keep[i] = malloc(16384);
		memset(keep[i], 1, 16384);
	}
}

__attribute__((noinline)) static void pin_it(void)
{
	pinned = malloc(1000);
	memset(pinned, 2, 1000);
}

__attribute__((noinline)) static void drop(void)
{
	for (int i = 0; i < 4096; i++)
		free(keep[i]);
}

int main(void)
{
	raise_it();
	fill();
	pin_it();
	drop();
	return pinned == NULL;
}
