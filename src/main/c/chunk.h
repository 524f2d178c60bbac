/*
 * Everything rsslab knows about a glibc malloc chunk header, in one place.
 * Valid only for pointers glibc's own malloc returned (explain_glibc_malloc):
 * under another allocator the word before a block may not even be mapped.
 *
 * Modelled on glibc malloc/malloc.c (2.26 to 2.40 agree on these):
 * mem2chunk() puts the header 2 * SIZE_SZ before the pointer, the size
 * field is its second word (so p[-1]), and the low three bits are flags
 * (PREV_INUSE 0x1, IS_MMAPPED 0x2, NON_MAIN_ARENA 0x4; SIZE_BITS).
 */
#ifndef RSSLAB_CHUNK_H
#define RSSLAB_CHUNK_H

#include <stdbool.h>
#include <stddef.h>

#define CHUNK_PREV_INUSE 0x1UL
#define CHUNK_IS_MMAPPED 0x2UL
#define CHUNK_NON_MAIN_ARENA 0x4UL
#define CHUNK_SIZE_BITS (CHUNK_PREV_INUSE | CHUNK_IS_MMAPPED | CHUNK_NON_MAIN_ARENA)

/* DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: 4 * 1024 * 1024 * sizeof(long). */
#define CHUNK_DYN_THRESHOLD_MAX (32UL * 1024 * 1024)

/* chunksize_nomask(): the size field with its flag bits. */
static inline unsigned long chunk_size_field(const void *mem)
{
	return ((const size_t *)mem)[-1];
}

/* chunksize(): the size in bytes. */
static inline unsigned long chunk_size(const void *mem)
{
	return chunk_size_field(mem) & ~CHUNK_SIZE_BITS;
}

/* chunk_is_mmapped(). */
static inline bool chunk_is_mmapped(const void *mem)
{
	return chunk_size_field(mem) & CHUNK_IS_MMAPPED;
}

/*
 * The size this chunk's free() may raise the dynamic mmap threshold to, or
 * 0. __libc_free raises it when chunksize_nomask(p) > mp_.mmap_threshold
 * and <= DEFAULT_MMAP_THRESHOLD_MAX, to chunksize(p); the caller compares
 * with the threshold it tracks.
 */
static inline unsigned long chunk_threshold_candidate(const void *mem)
{
	if (!chunk_is_mmapped(mem) || chunk_size_field(mem) > CHUNK_DYN_THRESHOLD_MAX)
		return 0;
	return chunk_size(mem);
}

/*
 * The arena that serves the chunk at mem: 0 for the main arena, the
 * malloc_state's address for a thread arena, CHUNK_ARENA_UNKNOWN for an
 * mmapped chunk (no arena's). Modelled on arena.c's arena_for_chunk():
 * a chunk with NON_MAIN_ARENA lies in a heap aligned to HEAP_MAX_SIZE
 * (2 * DEFAULT_MMAP_THRESHOLD_MAX, 64 MiB on 64-bit) whose heap_info starts
 * with ar_ptr (heap_for_ptr()).
 */
#define CHUNK_HEAP_MAX_SIZE (2 * CHUNK_DYN_THRESHOLD_MAX)
#define CHUNK_ARENA_UNKNOWN (~0UL)

static inline unsigned long chunk_arena(const void *mem)
{
	if (chunk_is_mmapped(mem))
		return CHUNK_ARENA_UNKNOWN;
	if (!(chunk_size_field(mem) & CHUNK_NON_MAIN_ARENA))
		return 0;
	return *(const unsigned long *)((unsigned long)mem & ~(CHUNK_HEAP_MAX_SIZE - 1));
}

#endif
