/*
 * Retention by call site, in the replay's own process (pins.h).
 *
 * A pin: glibc returns heap memory to the system only from the top chunk
 * (malloc.c: systrim() for the main heap, heap_trim()/shrink_heap() in
 * arena.c for a thread heap, both called from _int_free when the top chunk
 * passes trim_threshold), so a live block holds down every free byte
 * between it and the next live block below: the top cannot shrink past it
 * however much is free there. Each live block's pinned memory is the
 * resident part (mincore) of the run of free memory below it in its heap;
 * the highest block of each heap, the one the top stops at, is marked.
 *
 * A raise: __libc_free (malloc.c) sets mp_.mmap_threshold to chunksize(p)
 * when it frees an mmapped chunk whose size is above the threshold and at
 * most DEFAULT_MMAP_THRESHOLD_MAX, unless a threshold was set by mallopt or
 * the environment (mp_.no_dyn_threshold); trim_threshold becomes twice it.
 * Modelled here from 128 KiB (DEFAULT_MMAP_THRESHOLD) and the chunk headers
 * (chunk.h), so that each raise can be named with the free that made it.
 *
 * Nothing here calls malloc: the sort is our own (glibc's qsort may
 * allocate), the buffers are mmapped.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "chunk.h"
#include "line.h"
#include "pins.h"

#define PINS_SHOWN 50		/* pin lines per walk: the largest */
#define RAISES_MAX 4096
#define FREE_STACKS 65536	/* the latest large frees' stacks (a ring) */

static bool less(const struct pin_block *a, const struct pin_block *b)
{
	return a->key != b->key ? a->key < b->key : a->ptr < b->ptr;
}

static void sift(struct pin_block *v, long at, long n)
{
	for (long child; (child = 2 * at + 1) < n; at = child) {
		if (child + 1 < n && less(&v[child], &v[child + 1]))
			child++;
		if (!less(&v[at], &v[child]))
			return;
		struct pin_block t = v[at];
		v[at] = v[child];
		v[child] = t;
	}
}

static void heap_sort(struct pin_block *v, long n)
{
	for (long i = n / 2 - 1; i >= 0; i--)
		sift(v, i, n);
	for (long i = n - 1; i > 0; i--) {
		struct pin_block t = v[0];
		v[0] = v[i];
		v[i] = t;
		sift(v, 0, i);
	}
}

/* Resident bytes of the whole pages in [from, to). */
static uint64_t resident(uint64_t from, uint64_t to, unsigned char *vec, size_t vec_len, long page)
{
	uint64_t lo = (from + (uint64_t)page - 1) & ~((uint64_t)page - 1), hi = to & ~((uint64_t)page - 1), got = 0;

	while (lo < hi) {
		size_t pages = (size_t)((hi - lo) / (uint64_t)page);

		if (pages > vec_len)
			pages = vec_len;
		if (mincore((void *)lo, pages * (size_t)page, vec) != 0)
			return got;
		for (size_t i = 0; i < pages; i++)
			got += (vec[i] & 1) ? (uint64_t)page : 0;
		lo += pages * (uint64_t)page;
	}
	return got;
}

/* The start of a block's chunk and the end of it (chunk.h: the header is two words before the block). */
static uint64_t chunk_start(const struct pin_block *b)
{
	return b->ptr - 2 * sizeof(size_t);
}

static uint64_t chunk_end(const struct pin_block *b)
{
	return chunk_start(b) + chunk_size((const void *)(uintptr_t)b->ptr);
}

/* The start of the main heap ([heap] in /proc/self/maps, read without stdio), 0 when there is none. */
static uint64_t main_heap_start(void)
{
	static char text[1 << 16];	/* the reader's own, one walk at a time */
	uint64_t lo = 0;
	ssize_t n, got = 0;
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	char *at, *line;

	if (fd < 0)
		return 0;
	while (got < (ssize_t)sizeof(text) - 1 && (n = read(fd, text + got, sizeof(text) - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	text[got] = 0;
	if (!(at = strstr(text, "[heap]")))
		return 0;
	for (line = at; line > text && line[-1] != '\n'; line--)
		;
	for (; *line && *line != '-'; line++)
		lo = lo * 16 + (uint64_t)(*line <= '9' ? *line - '0' : (*line | 0x20) - 'a' + 10);
	return lo;
}

/*
 * The resident free bytes below block i in its heap (the run down to the
 * block before it, or to the heap's start: the main heap's [heap], a thread
 * heap's first page after its heap_info and malloc_state).
 */
static uint64_t pinned_by(const struct pin_block *v, long i, uint64_t main_lo, unsigned char *vec, size_t vec_len,
			  long page)
{
	bool first = i == 0 || v[i - 1].key != v[i].key;
	uint64_t below;

	if (first && !v[i].key && !main_lo)
		return 0;
	below = !first ? chunk_end(&v[i - 1]) : v[i].key ? v[i].key + (uint64_t)page : main_lo;
	return below < chunk_start(&v[i]) ? resident(below, chunk_start(&v[i]), vec, vec_len, page) : 0;
}

int pins_walk(struct pin_block *v, long n, int fd, const char *moment, int walk, long kept_kb)
{
	long page = sysconf(_SC_PAGESIZE), top[PINS_SHOWN], shown = 0;
	uint64_t pinned[PINS_SHOWN], total = 0, blocks = 0;
	size_t vec_len = 1 << 16;
	unsigned char *vec = mmap(NULL, vec_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret = 0;

	if (vec == MAP_FAILED)
		return -1;
	uint64_t main_lo = main_heap_start();

	heap_sort(v, n);
	for (long i = 0; i < n; i++) {
		uint64_t p = pinned_by(v, i, main_lo, vec, vec_len, page);
		long at;

		if (!p)
			continue;
		total += p;
		blocks++;
		if (shown == PINS_SHOWN && p <= pinned[shown - 1])
			continue;
		at = shown < PINS_SHOWN ? shown++ : shown - 1;	/* the largest PINS_SHOWN, largest first */
		for (; at > 0 && pinned[at - 1] < p; at--) {
			pinned[at] = pinned[at - 1];
			top[at] = top[at - 1];
		}
		pinned[at] = p;
		top[at] = i;
	}
	for (long k = 0; k < shown && !ret; k++) {
		long i = top[k];
		struct line l = { .len = 0 };

		line_put_str(&l, "pin");
		line_put_kv(&l, "walk", walk);
		line_put_kv_str(&l, "moment", moment);
		line_put_kv(&l, "heap", (long)v[i].key);
		line_put_kv(&l, "block", (long)v[i].ptr);
		line_put_kv(&l, "size", (long)v[i].size);
		line_put_kv(&l, "stack", v[i].stack);
		line_put_kv(&l, "pinned", (long)pinned[k]);
		line_put_kv(&l, "nearest_top", i + 1 == n || v[i + 1].key != v[i].key);
		ret = line_write(&l, fd);
	}
	struct line l = { .len = 0 };
	line_put_str(&l, "pins");
	line_put_kv(&l, "walk", walk);
	line_put_kv_str(&l, "moment", moment);
	line_put_kv(&l, "live_blocks", n);
	line_put_kv(&l, "pinning_blocks", (long)blocks);
	line_put_kv(&l, "pinned", (long)total);
	line_put_kv(&l, "kept_kb", kept_kb);
	if (!ret)
		ret = line_write(&l, fd);
	munmap(vec, vec_len);
	return ret;
}

/* --- threshold raises --- */

static struct { long index; uint64_t size; } raises[RAISES_MAX];
static atomic_long raise_count;
static atomic_ulong threshold = 128 * 1024;	/* DEFAULT_MMAP_THRESHOLD */
static struct { long index; uint32_t stack; } free_stacks[FREE_STACKS];
static long free_stack_count;

/* glibc's do_set_mmap_threshold and friends set no_dyn_threshold: so do these variables (malloc.c, ptmalloc_init). */
static bool dynamic(void)
{
	static int known = -1;

	if (known < 0)
		known = !getenv("MALLOC_MMAP_THRESHOLD_") && !getenv("MALLOC_TRIM_THRESHOLD_") &&
			!getenv("MALLOC_TOP_PAD_") && !getenv("MALLOC_MMAP_MAX_") &&
			!getenv("GLIBC_TUNABLES");
	return known;
}

void pins_freeing(const void *block, long index)
{
	unsigned long c = chunk_threshold_candidate(block), t;

	if (!c || !dynamic())
		return;
	t = atomic_load(&threshold);
	while (c > t)
		if (atomic_compare_exchange_weak(&threshold, &t, c)) {
			long k = atomic_fetch_add(&raise_count, 1);

			if (k < RAISES_MAX) {
				raises[k].index = index;
				raises[k].size = c;
			}
			return;
		}
}

void pins_free_stack(long index, uint32_t stack)
{
	long k = free_stack_count++ % FREE_STACKS;

	free_stacks[k].index = index;
	free_stacks[k].stack = stack;
}

int pins_raises(int fd)
{
	long n = atomic_load(&raise_count), kept = free_stack_count < FREE_STACKS ? free_stack_count : FREE_STACKS;

	for (long k = 0; k < n && k < RAISES_MAX; k++) {
		struct line l = { .len = 0 };
		uint32_t stack = 0;

		for (long j = 0; j < kept; j++)
			if (free_stacks[j].index == raises[k].index)
				stack = free_stacks[j].stack;
		line_put_str(&l, "raise");
		line_put_kv(&l, "record", raises[k].index);
		line_put_kv(&l, "raised_to", (long)raises[k].size);
		line_put_kv(&l, "stack", stack);
		if (line_write(&l, fd))
			return -1;
	}
	return 0;
}
