/*
 * Which live blocks keep free memory from going back, and which frees raised
 * the dynamic mmap threshold: the replay's own heap asked at its peak of kept
 * memory and at its end (replay.c calls these; pins.c).
 */
#ifndef RSSLAB_PINS_H
#define RSSLAB_PINS_H

#include <stdbool.h>
#include <stdint.h>

struct pin_block {
	uint64_t ptr;		/* the replay's block */
	uint64_t size;		/* the recorded request */
	uint64_t key;		/* the heap it is in: 0 the main heap, else its heap_info's address */
	uint32_t stack;		/* the stack id of the call that made it, 0 unknown */
	uint32_t pad;
};

/*
 * Blocks (n of them, mmapped by the caller) sorted, walked, the top pins written as "pin" lines to fd, then a
 * "pins" line with the totals and kept_kb, the replay's kept memory then (the largest is the peak's walk).
 */
int pins_walk(struct pin_block *blocks, long n, int fd, const char *moment, int walk, long kept_kb);

/* Before free(block) in a worker: a raise of the dynamic threshold noted with its record number. */
void pins_freeing(const void *block, long index);

/* The free at record index was called from stack (read by the reader after its call). */
void pins_free_stack(long index, uint32_t stack);

/* The raises as "raise" lines, each with its free's stack (0 when the stack is unknown). */
int pins_raises(int fd);

#endif
