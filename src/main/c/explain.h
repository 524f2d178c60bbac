/*
 * What the allocator did, per round, without allocating: whether malloc is
 * glibc's, mallinfo2(), and the cost of each phase from getrusage(2) and
 * the monotonic clock. Chunk headers are read through chunk.h.
 */
#ifndef RSSLAB_EXPLAIN_H
#define RSSLAB_EXPLAIN_H

#include <stdbool.h>

/* mallinfo2() fields, in kB. */
struct heap_state {
	long heap_kb;		/* arena: non-mmapped space from the system */
	long heap_free_kb;	/* fordblks: free space in the heaps */
	long mmapped_kb;	/* hblkhd: space in mmapped chunks */
	long top_releasable_kb;	/* keepcost: the main heap's releasable top */
};

/* A getrusage(RUSAGE_THREAD) and CLOCK_MONOTONIC reading. */
struct usage {
	long minflt;
	long user_us;
	long sys_us;
	long wall_us;
};

/*
 * Is malloc glibc's own? Compares the malloc this code calls with the one
 * libc.so.6 defines; another allocator (LD_PRELOAD) makes them differ.
 * Call once, before the measured rounds: dlopen may allocate.
 */
bool explain_glibc_malloc(void);

void explain_heap(struct heap_state *h);

/*
 * Did every library of LD_PRELOAD really load? ld.so prints "cannot be
 * preloaded ... ignored" and goes on without one it cannot load, so the
 * child looks: "none" (LD_PRELOAD unset or empty), "loaded" (each entry is
 * mapped, /proc/self/maps), "missing" (one is not). Entries are split as
 * ld.so splits them (elf/rtld.c: on ' ' and ':'); rsslab passes real paths,
 * which is how maps names them. No malloc.
 */
const char *explain_preload(void);
void explain_usage(struct usage *u);

#endif
