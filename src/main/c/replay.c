/*
 * Replays a trace (io.rsslab.trace.TraceFile: a header, 48-byte records in
 * call order, an END record) in this process: every call made again with the
 * recorded size and alignment, every page of each new block written once,
 * on one thread per recorded thread (recorded thread 0, the first to call
 * malloc, on the main thread, so that it is served by the main arena as it
 * was; the others start where they first called, so glibc gives them arenas
 * as it gave the program's).
 *
 * The threads run at once: a reader thread (which never allocates, so it
 * has no arena) reads the trace in its recorded order and hands each call to
 * its thread's ring; each thread makes its calls strictly in order, and a
 * call waits only for the one call of another thread it depends on (the
 * allocation of the block it frees, the free of the address it gets back:
 * struct block's state). The waits follow the recorded order, so they
 * cannot deadlock, and every block lives and dies where it did in the
 * program. Measurements stop every thread first (barrier).
 *
 * Nothing here allocates from the heap it replays into: the pointer table
 * (recorded address -> this replay's block), the blocks, the rings and the
 * read buffer are mmapped, output goes through line.c and write(2). Memory
 * grows with the number of live blocks only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>


#include "chunk.h"
#include "pins.h"
#include "exit_codes.h"
#include "explain.h"
#include "line.h"
#include "procfs.h"
#include "records.h"
#include "replay.h"
#include "trace_format.h"

/* Only the types and constants: libzstd itself is loaded with dlopen when a trace is compressed (version 5), so
 * that the probe links libc alone (CTest probe-links-libc-only). */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#define READ_RECORDS 4096
#define MAX_THREADS 65536

/* --- blocks: the replay's blocks, shared by the threads that allocate and free them --- */

/*
 * A block's state counts the calls made on it: even, no block (never
 * allocated, or freed), odd, allocated. The reader gives each call the
 * state it must find (the calls on one recorded address in the recorded
 * order); a thread that finds another state waits for the call before,
 * made on another thread. So a free waits for its block's allocation, an
 * allocation that got a freed address back waits for that free, and
 * nothing else waits. Published with release, read with acquire: ptr and
 * size are the allocating call's.
 */
struct block {
	_Atomic uint32_t state;
	uint32_t next_free;	/* the reader's free list (index + 1), for a block no call will touch again */
	void *ptr;
	uint64_t size;
};

/* Mapped a chunk at a time (the address space a ulimit -v allows is not spent ahead), never moved. */
#define BLOCK_CHUNK (1u << 16)
#define BLOCK_CHUNKS 2048u
#define BLOCKS_MAX (BLOCK_CHUNK * BLOCK_CHUNKS)

struct blocks {
	struct block *chunk[BLOCK_CHUNKS];	/* each mapped by the reader before a call names its blocks */
	uint32_t used;
	uint32_t free_head;
};

static inline struct block *block_at(struct blocks *b, uint32_t i)
{
	return &b->chunk[i / BLOCK_CHUNK][i % BLOCK_CHUNK];
}

/* The pointer table, the reader's: open addressing, linear probing; per recorded address, its block
 * and the state its next call will find. */
struct slot {
	uint64_t key;		/* the recorded address; 0: empty */
	uint32_t idx;
	uint32_t gen;
	uint64_t size;		/* the recorded size of the live block (0 when freed) */
	uint32_t stack;		/* the stack id of the call that made it (TRACE_STACK), 0 unknown */
	uint32_t pad;
};

struct table {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t used;
	uint64_t live_bytes;
};

static void *map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static size_t home(const struct table *t, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (t->cap - 1);
}

static bool table_init(struct table *t, size_t cap)
{
	t->slots = map(cap * sizeof(struct slot));
	t->cap = cap;
	t->used = 0;
	t->live_bytes = 0;
	return t->slots != NULL;
}

static struct slot *table_find(struct table *t, uint64_t key)
{
	if (key == 0)
		return NULL;	/* 0 marks an empty slot: never a block (free(NULL), a malloc that returned NULL) */
	for (size_t i = home(t, key);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		if (t->slots[i].key == 0)
			return NULL;
	}
}

/* A freed address whose last call is done: its block can serve another address. */
static bool reclaimable(const struct slot *s, struct blocks *b)
{
	return b && !(s->gen & 1) && atomic_load_explicit(&block_at(b, s->idx)->state, memory_order_acquire) == s->gen;
}

static struct slot *table_put(struct table *t, uint64_t key)
{
	size_t i;

	for (i = home(t, key); t->slots[i].key != 0; i = (i + 1) & (t->cap - 1))
		;
	t->slots[i].key = key;
	t->used++;
	return &t->slots[i];
}

/* Into a table of cap slots, leaving out the addresses whose blocks are reclaimed (b: NULL keeps all). */
static bool table_rebuild(struct table *t, size_t cap, struct blocks *b)
{
	struct table bigger;

	if (!table_init(&bigger, cap))
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		struct slot *old = &t->slots[i], *s;

		if (!old->key)
			continue;
		if (reclaimable(old, b)) {
			block_at(b, old->idx)->next_free = b->free_head;
			b->free_head = old->idx + 1;
			continue;
		}
		s = table_put(&bigger, old->key);
		*s = *old;
	}
	bigger.live_bytes = t->live_bytes;
	munmap(t->slots, t->cap * sizeof(struct slot));
	*t = bigger;
	return true;
}

/* Adds key; returns the slot (the caller fills it), NULL when no memory is left for the table. */
static struct slot *table_add(struct table *t, uint64_t key, struct blocks *b)
{
	if ((t->used + 1) * 2 > t->cap) {
		size_t cap = t->cap;

		/* Freed addresses stay (a later allocation there waits for the free) until their block is
		 * done: dropped here, and the table doubles only when the rest fills half of it. */
		if (b) {
			size_t done = 0;

			for (size_t i = 0; i < t->cap; i++)
				done += t->slots[i].key && reclaimable(&t->slots[i], b);
			if ((t->used - done + 1) * 3 > t->cap)
				cap *= 2;
		} else {
			cap *= 2;
		}
		if (!table_rebuild(t, cap, b))
			return NULL;
	}
	return table_put(t, key);
}

static void table_remove(struct table *t, struct slot *s)
{
	size_t i = (size_t)(s - t->slots), j = i, k;

	t->live_bytes -= s->size;
	t->used--;
	/* Backward shift: later entries of the run move into the hole, so no tombstones pile up. */
	for (;;) {
		t->slots[i].key = 0;
		for (;;) {
			j = (j + 1) & (t->cap - 1);
			if (t->slots[j].key == 0)
				return;
			k = home(t, t->slots[j].key);
			if ((j > i && (k <= i || k > j)) || (j < i && (k <= i && k > j)))
				break;
		}
		t->slots[i] = t->slots[j];
		i = j;
	}
}

/* A block for a new address: a reclaimed one, or the next never used; UINT32_MAX when none is left. */
static uint32_t block_new(struct blocks *b)
{
	uint32_t i;

	if (b->free_head) {
		i = b->free_head - 1;
		b->free_head = block_at(b, i)->next_free;
		return i;
	}
	if (b->used >= BLOCKS_MAX)
		return UINT32_MAX;
	if (!b->chunk[b->used / BLOCK_CHUNK] && !(b->chunk[b->used / BLOCK_CHUNK] = map(BLOCK_CHUNK * sizeof(struct block))))
		return UINT32_MAX;
	return b->used++;
}

/* --- waiting: spin briefly, then sleep on the futex --- */

static _Atomic uint32_t block_sleepers;	/* threads asleep on a block's state */
static _Atomic bool stopping;		/* a malloc failed: every wait gives up */

static void futex(_Atomic uint32_t *word, int op, uint32_t value)
{
	struct timespec tick = { 0, 20000000 };	/* 20 ms: a stop is seen without a wake */

	syscall(SYS_futex, word, op, value, op == FUTEX_WAIT_PRIVATE ? &tick : NULL, NULL, 0);
}

/* Waits while *word == seen (false: the replay is stopping). */
static bool wait_change(_Atomic uint32_t *word, uint32_t seen, _Atomic uint32_t *sleepers)
{
	for (int spin = 0; atomic_load_explicit(word, memory_order_acquire) == seen; spin++) {
		if (atomic_load_explicit(&stopping, memory_order_relaxed))
			return false;
		if (spin < 200) {
			__builtin_ia32_pause();
		} else if (spin < 210) {
			sched_yield();
		} else {
			/* Dekker with publish(): the sleeper counts itself, then looks again. */
			atomic_fetch_add(sleepers, 1);
			if (atomic_load(word) == seen)
				futex(word, FUTEX_WAIT_PRIVATE, seen);
			atomic_fetch_sub(sleepers, 1);
		}
	}
	return true;
}

static void publish(_Atomic uint32_t *word, uint32_t value, _Atomic uint32_t *sleepers)
{
	atomic_store(word, value);
	if (atomic_load(sleepers))
		futex(word, FUTEX_WAKE_PRIVATE, INT_MAX);
}

/* --- one call, on the thread of its recorded thread --- */

enum { OP_OLD = 1, OP_NEW = 2 };	/* the call finds a block (ob/oe), makes one (nb/ne) */
#define OP_SPAWN 100u			/* the host thread starts the worker at aux */
#define OP_QUIT 101u			/* the recorded thread ended: its worker ends */

struct op {
	uint16_t kind;		/* a trace_op, OP_SPAWN or OP_QUIT */
	uint16_t what;
	uint32_t ob, oe, nb, ne;
	uint32_t pad;
	uint64_t size, aux;
	long index;		/* the record's number, for "malloc_failed" */
};

struct worker;
static void *work(void *arg);

#define RING 4096u	/* ops per worker: 192 KiB */
#define PUBLISH_EVERY 256u

struct worker {
	_Atomic uint32_t head;	/* ops done (published by the worker) */
	_Atomic uint32_t tail;	/* ops handed over (published by the reader) */
	_Atomic uint32_t sleepers;
	uint32_t pushed;	/* the reader's tail, published every PUBLISH_EVERY ops and before it waits */
	struct blocks *blocks;
	size_t page;
	bool chunks;		/* glibc's malloc: chunk headers read */
	bool host;		/* the main thread */
	bool exited;
	pthread_t thread;
	uint32_t recorded;
	long mmap_allocs;	/* blocks served by mmap since the round began */
	unsigned long freed_mmapped_max;	/* the largest mmapped chunk freed since then */
	unsigned long arena;	/* of this thread's first heap block (chunk_arena), CHUNK_ARENA_UNKNOWN */
	_Atomic long failed_at;	/* record number where this replay's malloc returned NULL; 0: none */
	struct op ops[RING];
};

static void fail(struct worker *w, long index)
{
	atomic_store(&w->failed_at, index);
	atomic_store(&stopping, true);
}

/* Before a free: a freed mmapped chunk may raise glibc's thresholds (chunk.h). */
static void freeing(struct worker *w, const void *block)
{
	unsigned long candidate;

	if (!w->chunks)
		return;
	candidate = chunk_threshold_candidate(block);
	if (candidate > w->freed_mmapped_max)
		w->freed_mmapped_max = candidate;
}

/*
 * The program wrote its blocks: so does the replay, one byte per page from
 * offset from (the bytes a realloc kept were written before and copied or
 * kept in place by glibc: writing them again made a string grown by many
 * reallocs cost its whole length each time, quadratic in its calls) and
 * the last byte.
 */
static void touch(struct worker *w, void *block, uint64_t from, uint64_t size)
{
	volatile char *p = block;

	for (uint64_t off = from; off < size; off += w->page)
		p[off] = 1;
	if (size > from)
		p[size - 1] = 1;
}

static struct block *wait_block(struct worker *w, uint32_t idx, uint32_t want)
{
	struct block *b = block_at(w->blocks, idx);
	uint32_t now;

	while ((now = atomic_load_explicit(&b->state, memory_order_acquire)) != want)
		if (!wait_change(&b->state, now, &block_sleepers))
			return NULL;
	return b;
}

/* Makes the call o; false when this replay's malloc returned NULL or the replay is stopping. */
static bool execute(struct worker *w, const struct op *o)
{
	struct block *ob = NULL, *nb;
	void *p = NULL, *old = NULL;
	uint64_t kept = 0;

	if (o->what & OP_OLD) {
		ob = wait_block(w, o->ob, o->oe);
		if (!ob)
			return false;
		old = ob->ptr;
		kept = ob->size < o->size ? ob->size : o->size;
		freeing(w, old);
	}
	switch (o->kind) {
	case TRACE_FREE:
		if (w->chunks)
			pins_freeing(old, o->index);
		free(old);
		publish(&ob->state, o->oe + 1, &block_sleepers);
		return true;
	case TRACE_REALLOC:
		p = realloc(old, o->size);
		if (!p && o->size) {
			free(old);
			fail(w, o->index);
			return false;
		}
		if (ob)
			publish(&ob->state, o->oe + 1, &block_sleepers);
		if (!p && !(o->what & OP_NEW))
			return true;	/* realloc(p, 0): p freed, as in the program */
		if (!p)
			goto made;	/* realloc(p, 0) whose record names a block (a damaged trace): an empty one,
					 * published all the same, or the next call on that address waits forever */
		break;
	case TRACE_MALLOC:
		p = malloc(o->size);
		break;
	case TRACE_CALLOC:
		p = calloc(1, o->size);
		break;
	case TRACE_MEMALIGN:
	case TRACE_POSIX_MEMALIGN:
	case TRACE_ALIGNED_ALLOC:
		p = memalign(o->aux, o->size);
		break;
	case TRACE_VALLOC:
		p = valloc(o->size);
		break;
	case TRACE_PVALLOC:
		p = pvalloc(o->size);
		break;
	}
	if (!p) {
		fail(w, o->index);
		return false;
	}
	touch(w, p, kept, o->size);
	if (w->chunks) {
		w->mmap_allocs += chunk_is_mmapped(p);
		if (w->arena == CHUNK_ARENA_UNKNOWN)
			w->arena = chunk_arena(p);
	}
	if (!(o->what & OP_NEW)) {
		free(p);
		return true;
	}
made:
	nb = wait_block(w, o->nb, o->ne);
	if (!nb) {
		free(p);
		return false;
	}
	nb->ptr = p;
	nb->size = p ? o->size : 0;
	publish(&nb->state, o->ne + 1, &block_sleepers);
	return true;
}

static int spawn(struct worker *w)
{
	pthread_t t;

	return pthread_create(&t, NULL, work, w);
}

/* A worker's loop: its ring's calls in order, until OP_QUIT, a failure or a stop. */
static void run_worker(struct worker *w)
{
	uint32_t h = atomic_load_explicit(&w->head, memory_order_relaxed), t;

	for (;;) {
		t = atomic_load_explicit(&w->tail, memory_order_acquire);
		if (h == t) {
			publish(&w->head, h, &w->sleepers);
			if (!wait_change(&w->tail, t, &w->sleepers))
				return;
			continue;
		}
		for (; h != t; h++) {
			const struct op *o = &w->ops[h & (RING - 1)];

			if (o->kind == OP_QUIT) {
				publish(&w->head, h + 1, &w->sleepers);
				return;
			}
			if (o->kind == OP_SPAWN) {
				if (spawn((struct worker *)(uintptr_t)o->aux) != 0) {
					fail(w, o->index);
					return;
				}
			} else if (!execute(w, o)) {
				return;
			}
			if (((h + 1) & (PUBLISH_EVERY - 1)) == 0)
				publish(&w->head, h + 1, &w->sleepers);
		}
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;

	w->thread = pthread_self();	/* published with head: the reader joins it */
	run_worker(w);
	return NULL;
}

/* --- the reader: the trace in order, each call to its thread --- */

struct replay {
	struct table table;	/* live_bytes: what the program had requested and not freed */
	struct blocks blocks;
	long live_blocks;
	long events;		/* calls replayed (and thread ends): the program's call index, marks not counted */
	long records;		/* records read: the numbers "bad" and "malloc_failed" name */
	long failed_skipped;
	long unknown_frees;
	long first_unknown_free;
	long unknown_reallocs;
	long first_unknown_realloc;
	long reused_addresses;
	long first_reused_address;
	long program_rss_kb;	/* the program's VmRSS at the last TRACE_RSS record replayed; -1: none yet */
	long program_rss_anon_kb;
	long malloc_failed_at;	/* record number where this replay's malloc returned NULL; 0: none */
	bool table_full;
	bool chunks;		/* glibc's malloc: read the chunk headers as records.c does */
	long mmap_allocs;	/* of the workers that ended, since the round began */
	unsigned long freed_mmapped_max;
	uint64_t freed_size;	/* the recorded size of the block the last call freed */
	long kept_walked_kb;	/* the kept memory (KiB) at the last pins walk at a peak */
	int walks;
};

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

struct run {
	struct replay r;
	struct worker **workers;	/* by recorded thread number */
	struct worker *host;		/* the main thread: recorded thread 0 (not with thread_host), and OP_SPAWN */
	struct worker **active;		/* the workers started and not yet joined, host aside */
	int n_active;
	unsigned long *program_arena;	/* by recorded thread: TRACE_ARENA + 1 (so 0, as mapped: unknown) */
	unsigned long *replay_arena;	/* the worker's chunk_arena + 1 */
	int fd;
	bool one_thread;
	bool thread_host;	/* recorded thread 0 too on a new thread: a thread arena serves it */
	bool in_line;		/* every call made by the reader itself, on the main thread (one thread) */
	bool timing;		/* --timing recorded: the program's idle gaps slept */
	double speed;
	uint64_t gap_ns;	/* sleeps shorter than this are not taken */
	uint64_t clock_ns;	/* the latest recorded time seen */
	uint64_t origin_ns;	/* CLOCK_MONOTONIC at the program's time 0, moved on by the replay's lag */
	long slept_us;
	long sample_every;
	long start_us;
	int live_threads;
	uint64_t last_time_ns;
	long heap_us;		/* spent in mallinfo2 so far */
	long next_stop;		/* the call count at which the replay stops to measure */
	bool before_exit_seen;
	struct rounds *rounds;	/* NULL: samples every sample_every calls */
};

static int say_bad(int fd, const char *what, long index);

static struct worker *worker_new(struct run *u, uint32_t recorded, bool host)
{
	struct worker *w = map(sizeof(*w));

	if (!w)
		return NULL;
	w->blocks = &u->r.blocks;
	w->page = (size_t)sysconf(_SC_PAGESIZE);
	w->chunks = explain_glibc_malloc();
	w->host = host;
	w->recorded = recorded;
	w->arena = CHUNK_ARENA_UNKNOWN;
	return w;
}

/* Every op handed over is visible to its worker: before the reader waits for anything. */
static void flush_all(struct run *u)
{
	if (u->in_line)
		return;
	if (atomic_load_explicit(&u->host->tail, memory_order_relaxed) != u->host->pushed)
		publish(&u->host->tail, u->host->pushed, &u->host->sleepers);
	for (int i = 0; i < u->n_active; i++) {
		struct worker *w = u->active[i];

		if (atomic_load_explicit(&w->tail, memory_order_relaxed) != w->pushed)
			publish(&w->tail, w->pushed, &w->sleepers);
	}
}

static int push(struct run *u, struct worker *w, const struct op *o)
{
	uint32_t h;

	if (u->in_line)
		return execute(w, o) ? RSSLAB_EXIT_OK : RSSLAB_EXIT_MALLOC_FAILED;
	while (w->pushed - (h = atomic_load_explicit(&w->head, memory_order_acquire)) >= RING) {
		flush_all(u);
		if (!wait_change(&w->head, h, &w->sleepers))
			return RSSLAB_EXIT_MALLOC_FAILED;
	}
	w->ops[w->pushed & (RING - 1)] = *o;
	w->pushed++;
	if ((w->pushed & (PUBLISH_EVERY - 1)) == 0)
		publish(&w->tail, w->pushed, &w->sleepers);
	return RSSLAB_EXIT_OK;
}

/* Waits until w has made every call handed to it. */
static bool drained(struct worker *w)
{
	uint32_t h;

	while ((h = atomic_load_explicit(&w->head, memory_order_acquire)) != w->pushed)
		if (!wait_change(&w->head, h, &w->sleepers))
			return false;
	return true;
}

static bool reap_exited(struct run *u);

/*
 * Every call so far made: the replay stands still to be measured. The
 * workers whose recorded threads ended are joined first: a thread's exit
 * frees what its allocator cached for it (glibc's tcache_thread_shutdown,
 * malloc.c; jemalloc's tcache flush, 20 MiB of staggered.c at its exit), and
 * the program's threads had made that exit when it measured. Measured before
 * the exit was over, a replay kept 32 MiB where the program kept 20.
 */
static bool barrier(struct run *u)
{
	if (u->in_line)
		return true;
	if (!reap_exited(u))
		return false;
	if (!drained(u->host))
		return false;
	for (int i = 0; i < u->n_active; i++)
		if (!drained(u->active[i]))
			return false;
	return true;
}

/* A worker that ended (OP_QUIT done): joined, what it knew kept. */
static void retire(struct run *u, struct worker *w)
{
	pthread_join(w->thread, NULL);
	u->replay_arena[w->recorded] = w->arena + 1;
	u->r.mmap_allocs += w->mmap_allocs;
	if (w->freed_mmapped_max > u->r.freed_mmapped_max)
		u->r.freed_mmapped_max = w->freed_mmapped_max;
	if (atomic_load(&w->failed_at) && !u->r.malloc_failed_at)
		u->r.malloc_failed_at = atomic_load(&w->failed_at);
	munmap(w, sizeof(*w));
}

/*
 * The workers whose recorded threads ended are joined before a new one
 * starts: glibc puts an ended thread's arena on its free list
 * (arena.c, arena_thread_freeres), and the next new thread takes it
 * (get_free_list), as in the program.
 */
static bool reap_exited(struct run *u)
{
	int kept = 0;
	bool ok = true;

	flush_all(u);
	for (int i = 0; i < u->n_active; i++) {
		struct worker *w = u->active[i];

		if (w->exited && ok && drained(w))
			retire(u, w);
		else if ((u->active[kept++] = w)->exited)
			ok = false;	/* stopping: this one, and the rest, stay listed */
	}
	u->n_active = kept;
	return ok;
}

/* The worker of recorded thread t, started (by the host thread: see OP_SPAWN) at its first call. */
static struct worker *worker_for(struct run *u, uint32_t t, long index, int *ret)
{
	struct worker *w;
	struct op spawn = { .kind = OP_SPAWN, .index = index };

	if (u->one_thread)
		t = 0;
	if (u->in_line || (t == 0 && !u->thread_host))
		return u->host;
	w = u->workers[t];
	if (w)
		return w;
	if (!reap_exited(u)) {
		*ret = RSSLAB_EXIT_MALLOC_FAILED;
		return NULL;
	}
	w = u->workers[t] = worker_new(u, t, false);
	if (!w) {
		*ret = say_bad(u->fd, "no memory for a recorded thread's worker", index);
		return NULL;
	}
	u->active[u->n_active++] = w;
	u->live_threads += t != 0;
	/* pthread_create allocates (the new thread's DTV): on the main thread, as the program's main
	 * thread or one of its threads did, never on the reader's own thread, which has no arena. */
	spawn.aux = (uintptr_t)w;
	*ret = push(u, u->host, &spawn);
	if (!*ret)
		publish(&u->host->tail, u->host->pushed, &u->host->sleepers);
	return *ret ? NULL : w;
}

static void end_thread(struct run *u, uint32_t t, long index)
{
	struct op quit = { .kind = OP_QUIT, .index = index };
	struct worker *w;

	if (u->one_thread || u->in_line || (t == 0 && !u->thread_host) || !u->workers[t])
		return;
	w = u->workers[t];
	if (push(u, w, &quit) == RSSLAB_EXIT_OK)
		publish(&w->tail, w->pushed, &w->sleepers);
	w->exited = true;
	u->workers[t] = NULL;
	u->live_threads -= t != 0;
}

/* The call gives up the block of address slot s. */
static void release(struct replay *r, struct slot *s, struct op *o)
{
	o->what |= OP_OLD;
	o->ob = s->idx;
	o->oe = s->gen++;
	r->freed_size = s->size;
	r->table.live_bytes -= s->size;
	s->size = 0;
	r->live_blocks--;
}

/* The call makes a block at the recorded address e->ptr; false when the replayer's tables are full. */
static bool claim(struct run *u, struct worker *w, const struct trace_record *e, struct op *o, long index)
{
	struct replay *r = &u->r;
	struct slot *s = table_find(&r->table, e->ptr);
	uint32_t idx;

	if (s && (s->gen & 1)) {
		/* glibc gave the program this address again, so it had been freed by a call the trace
		 * does not hold (one the recorder lost, or a damaged record): the old block goes first,
		 * counted and named by its record. */
		struct op gone = { .kind = TRACE_FREE, .index = index };

		if (!r->reused_addresses++)
			r->first_reused_address = index;
		release(r, s, &gone);
		if (push(u, w, &gone))
			return false;
	}
	if (!s) {
		s = table_add(&r->table, e->ptr, &r->blocks);
		idx = block_new(&r->blocks);
		if (!s || idx == UINT32_MAX) {
			r->table_full = true;
			return false;
		}
		s->idx = idx;
		s->gen = atomic_load_explicit(&block_at(&r->blocks, idx)->state, memory_order_relaxed);
		s->size = 0;
	}
	o->what |= OP_NEW;
	o->nb = s->idx;
	o->ne = s->gen++;
	s->size = e->size;
	s->stack = 0;
	r->table.live_bytes += e->size;
	r->live_blocks++;
	return true;
}

/* Hands record number index (a call) to its thread. */
static int issue(struct run *u, const struct trace_record *e, long index)
{
	struct replay *r = &u->r;
	struct op o = { .kind = e->op, .size = e->size, .aux = e->aux, .index = index };
	struct worker *w;
	struct slot *s;
	int ret = RSSLAB_EXIT_OK;

	/* A call that failed, or an allocation that returned NULL (realloc(p, 0) aside: it freed p). */
	if ((e->flags & TRACE_FLAG_FAILED) || (trace_op_allocates(e->op) && !e->ptr &&
					      !(e->op == TRACE_REALLOC && e->size == 0))) {
		r->failed_skipped++;
		return RSSLAB_EXIT_OK;
	}
	if (e->op == TRACE_FREE && !e->ptr)
		return RSSLAB_EXIT_OK;	/* free(NULL): nothing, as in glibc */
	w = worker_for(u, e->thread, index, &ret);
	if (!w)
		return ret;
	if (e->op == TRACE_FREE || (e->op == TRACE_REALLOC && e->aux)) {
		uint64_t key = e->op == TRACE_FREE ? e->ptr : e->aux;

		s = table_find(&r->table, key);
		if (!s || !(s->gen & 1)) {
			if (e->op == TRACE_FREE && !r->unknown_frees++)
				r->first_unknown_free = index;
			if (e->op == TRACE_REALLOC && !r->unknown_reallocs++)
				r->first_unknown_realloc = index;
			return RSSLAB_EXIT_OK;
		}
		release(r, s, &o);
	}
	if (e->op != TRACE_FREE && e->ptr && !claim(u, w, e, &o, index)) {
		r->malloc_failed_at = index;
		return RSSLAB_EXIT_MALLOC_FAILED;
	}
	ret = push(u, w, &o);
	if (u->in_line && !ret && (o.what & OP_OLD)) {
		/* Made already, nothing waits: the freed address leaves the table at once, as live ones only. */
		s = table_find(&r->table, e->op == TRACE_FREE ? e->ptr : e->aux);
		if (s && !(s->gen & 1)) {
			block_at(&r->blocks, s->idx)->next_free = r->blocks.free_head;
			r->blocks.free_head = s->idx + 1;
			table_remove(&r->table, s);
		}
	}
	return ret;
}

/* --- output --- */

/*
 * A trace as a scenario of matrix (scenario "trace:PATH"): its calls cut into
 * ROUNDS rounds of equal numbers of calls; in each, "after the allocations"
 * is measured where the round's live bytes peak (found by a first pass over
 * the trace) and "after the frees" at its end (after malloc_trim(0) with
 * --trim), printed as the records of records.h.
 */
struct rounds {
	int count;
	long *end;		/* calls replayed when round k ends */
	long *peak_at;		/* calls replayed when round k's live bytes peak */
	uint64_t *peak_bytes;
	int k;
	bool trim;
	long alloc_rss, alloc_anon;
	struct usage start, at_peak;
	struct heap_state heap_at_peak;
};

static int sample(struct run *u, const char *moment)
{
	struct line l = { .len = 0 };
	struct heap_state h;
	long rss, anon, t0 = now_us();
	const char *field;
	bool final = strcmp(moment, "at_exit") == 0;
	/*
	 * mallinfo2 walks every free chunk of every bin (malloc.c, int_mallinfo):
	 * a fragmented heap (perl's freed strings, 10^5-10^6 free chunks) made 200
	 * samples cost more than the replay. It is taken at the exit marks and
	 * wherever it has cost under a tenth of the replay so far; elsewhere the
	 * heap fields are left out (unknown).
	 */
	bool heap = strcmp(moment, "during") != 0 || u->heap_us * 10 <= t0 - u->start_us;
	struct mallinfo2 mi;

	if (procfs_rss_kb(&rss, &anon, &field) != 0) {
		line_put_str(&l, "error");
		line_put_kv(&l, "events", u->r.events);
		line_put_str(&l, "\tsource=" PROCFS_STATUS_PATH "\tfield=");
		line_put_str(&l, field);
		line_write(&l, u->fd);
		return RSSLAB_EXIT_PROC_FAILED;
	}
	if (heap) {
		explain_heap(&h);
		u->heap_us += now_us() - t0;
	}
	line_put_str(&l, "sample");
	line_put_kv(&l, "events", u->r.events);
	line_put_kv(&l, "recorded_ms", (long)(u->last_time_ns / 1000000u));
	line_put_kv(&l, "wall_us", now_us() - u->start_us);
	line_put_kv(&l, "slept_us", u->slept_us);
	line_put_kv(&l, "threads", u->live_threads);
	line_put_kv(&l, "live_bytes", (long)u->r.table.live_bytes);
	line_put_kv(&l, "live_blocks", u->r.live_blocks);
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	if (heap) {
		line_put_kv(&l, "heap_kb", h.heap_kb);
		line_put_kv(&l, "heap_free_kb", h.heap_free_kb);
		line_put_kv(&l, "mmapped_kb", h.mmapped_kb);
		line_put_kv(&l, "top_releasable_kb", h.top_releasable_kb);
	}
	if (heap && final && explain_glibc_malloc()) {
		/* mallinfo2's own counters, for comparing two replays of one trace (arena.c: summed over arenas). */
		mi = mallinfo2();
		line_put_kv(&l, "mi_arena", (long)mi.arena);
		line_put_kv(&l, "mi_ordblks", (long)mi.ordblks);
		line_put_kv(&l, "mi_hblks", (long)mi.hblks);
		line_put_kv(&l, "mi_hblkhd", (long)mi.hblkhd);
		line_put_kv(&l, "mi_uordblks", (long)mi.uordblks);
		line_put_kv(&l, "mi_fordblks", (long)mi.fordblks);
		line_put_kv(&l, "mi_keepcost", (long)mi.keepcost);
	}
	if (u->r.program_rss_kb >= 0) {
		line_put_kv(&l, "program_rss_kb", u->r.program_rss_kb);
		line_put_kv(&l, "program_rss_anon_kb", u->r.program_rss_anon_kb);
	}
	line_put_kv(&l, "final", final);
	line_put_kv_str(&l, "moment", moment);
	return line_write(&l, u->fd) ? RSSLAB_EXIT_OUTPUT_FAILED : RSSLAB_EXIT_OK;
}

static int say_bad(int fd, const char *what, long index)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "bad\trecord=");
	line_put_num(&l, index);
	line_put_str(&l, "\treason=");
	line_put_str(&l, what);
	line_write(&l, fd);
	return RSSLAB_EXIT_USAGE;
}

/*
 * Version 5's body: compact records (trace_format.h) in zstd frames, decoded by
 * libzstd loaded with dlopen, its memory from an mmapped arena and its buffers
 * mmapped (never malloc: the replay's heap is what it measures). A seek back
 * to the body restarts the decompression.
 */
#define ZBODY_IN (32u << 10)	/* small: the decoder's pages are in the replay's RSS */
#define ZBODY_OUT (64u << 10)
#define ZBODY_ARENA (64u << 20)	/* frames up to a window of 2^ZBODY_WINDOW_LOG fit */
#define ZBODY_WINDOW_LOG 24
enum { ZB_OK = 0, ZB_EOF = -1, ZB_CUT = -2, ZB_BAD = -3 };

static struct zbody {
	bool compressed;
	ZSTD_DStream *ds;
	ZSTD_DStream *(*create)(ZSTD_customMem);
	size_t (*reset)(ZSTD_DCtx *, ZSTD_ResetDirective);
	size_t (*set)(ZSTD_DCtx *, ZSTD_dParameter, int);
	size_t (*decompress)(ZSTD_DStream *, ZSTD_outBuffer *, ZSTD_inBuffer *);
	unsigned (*is_error)(size_t);
	const char *(*error_name)(size_t);
	unsigned char *arena, *in, *out;
	size_t arena_used, in_len, in_pos, out_len, out_pos;
	bool in_eof, frame_open;
	uint64_t seq, time, *last_ptr;
	char damage[160];	/* why a record was refused, "" when none */
} zb;

static void zb_say(const char *why)
{
	size_t n = strlen(why);

	n = n < sizeof(zb.damage) - 1 ? n : sizeof(zb.damage) - 1;
	memcpy(zb.damage, why, n);
	zb.damage[n] = 0;
}

static void *zb_alloc(void *opaque, size_t size)
{
	size_t at = (zb.arena_used + 15) & ~(size_t)15;

	(void)opaque;
	if (at > ZBODY_ARENA || size > ZBODY_ARENA - at)
		return NULL;
	zb.arena_used = at + size;
	return zb.arena + at;
}

static void zb_free(void *opaque, void *p)
{
	(void)opaque;
	(void)p;	/* the arena is the replayer's until it exits; the stream is reset, never freed */
}

/* Loads libzstd and sets the decoder up; NULL when it is ready, or why not. */
static const char *zb_open(void)
{
	void *lib = dlopen("libzstd.so.1", RTLD_NOW | RTLD_LOCAL);

	if (!lib)
		return "a compressed trace (version 5) and no libzstd.so.1 to read it (Debian: apt install libzstd1)";
	zb.create = (ZSTD_DStream *(*)(ZSTD_customMem))dlsym(lib, "ZSTD_createDStream_advanced");
	zb.reset = (size_t (*)(ZSTD_DCtx *, ZSTD_ResetDirective))dlsym(lib, "ZSTD_DCtx_reset");
	zb.set = (size_t (*)(ZSTD_DCtx *, ZSTD_dParameter, int))dlsym(lib, "ZSTD_DCtx_setParameter");
	zb.decompress = (size_t (*)(ZSTD_DStream *, ZSTD_outBuffer *, ZSTD_inBuffer *))dlsym(lib,
											      "ZSTD_decompressStream");
	zb.is_error = (unsigned (*)(size_t))dlsym(lib, "ZSTD_isError");
	zb.error_name = (const char *(*)(size_t))dlsym(lib, "ZSTD_getErrorName");
	if (!zb.create || !zb.reset || !zb.set || !zb.decompress || !zb.is_error || !zb.error_name)
		return "a compressed trace (version 5) and a libzstd.so.1 without the functions the replayer needs";
	zb.arena = map(ZBODY_ARENA);
	zb.in = map(ZBODY_IN);
	zb.out = map(ZBODY_OUT);
	zb.last_ptr = map(MAX_THREADS * sizeof(uint64_t));
	if (!zb.arena || !zb.in || !zb.out || !zb.last_ptr)
		return "no memory for the replayer's own tables";
	zb.ds = zb.create((ZSTD_customMem){ .customAlloc = zb_alloc, .customFree = zb_free });
	if (!zb.ds || zb.is_error(zb.set(zb.ds, ZSTD_d_windowLogMax, ZBODY_WINDOW_LOG)))
		return "no memory for the replayer's own tables";
	zb.compressed = true;
	return NULL;
}

/* Back to the body's first byte: the decompression restarts there. */
static void body_rewind(int in, off_t body)
{
	lseek(in, body, SEEK_SET);
	if (!zb.compressed)
		return;
	zb.reset(zb.ds, ZSTD_reset_session_only);
	zb.in_len = zb.in_pos = zb.out_len = zb.out_pos = 0;
	zb.in_eof = zb.frame_open = false;
	zb.seq = zb.time = 0;
	madvise(zb.last_ptr, MAX_THREADS * sizeof(uint64_t), MADV_DONTNEED);	/* zeros, its pages given back */
	zb.damage[0] = 0;
}

static int zb_refill(int in)
{
	for (;;) {
		if (zb.in_pos == zb.in_len && !zb.in_eof) {
			ssize_t n = read(in, zb.in, ZBODY_IN);

			if (n < 0 && errno == EINTR)
				continue;
			zb.in_pos = 0;
			zb.in_len = n > 0 ? (size_t)n : 0;
			zb.in_eof = n <= 0;
		}
		ZSTD_inBuffer ib = { zb.in, zb.in_len, zb.in_pos };
		ZSTD_outBuffer ob = { zb.out, ZBODY_OUT, 0 };
		size_t r = zb.decompress(zb.ds, &ob, &ib);

		bool moved = ib.pos != zb.in_pos || ob.pos;

		zb.in_pos = ib.pos;
		if (zb.is_error(r)) {
			struct line l = { .len = 0 };

			line_put_str(&l, "a damaged compressed body (zstd: ");
			line_put_str(&l, zb.error_name(r));
			line_put_str(&l, ")");
			l.text[l.len < sizeof(l.text) ? l.len : sizeof(l.text) - 1] = 0;
			zb_say(l.text);
			return ZB_BAD;
		}
		if (moved)	/* without input a finished frame's stream asks for the next one's header */
			zb.frame_open = r != 0;
		if (ob.pos) {
			zb.out_len = ob.pos;
			zb.out_pos = 0;
			return ZB_OK;
		}
		if (zb.in_eof && zb.in_pos == zb.in_len)
			return zb.frame_open ? ZB_CUT : ZB_EOF;
	}
}

/* The next decoded byte, or ZB_EOF, ZB_CUT (inside a frame), ZB_BAD (zb.damage says why). */
static inline int zb_byte(int in)
{
	if (zb.out_pos == zb.out_len) {
		int r = zb_refill(in);

		if (r)
			return r;
	}
	return zb.out[zb.out_pos++];
}

/* One varint (first: its first byte, already read); ZB_OK, or why not. */
static int zb_varint(int in, int first, uint64_t *v)
{
	*v = 0;
	for (int i = 0; i < TRACE_VARINT_MAX; i++) {
		int c = i == 0 ? first : zb_byte(in);

		if (c < 0)
			return c == ZB_EOF ? ZB_CUT : c;
		if (i == TRACE_VARINT_MAX - 1 && (c & 0xfe))
			break;
		*v |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80))
			return ZB_OK;
	}
	zb_say("a varint longer than 64 bits (a damaged trace)");
	return ZB_BAD;
}

static inline uint64_t unzigzag(uint64_t v)
{
	return (v >> 1) ^ (0 - (v & 1));
}

/* One record of version 5; ZB_OK, ZB_EOF before its first byte, ZB_CUT, ZB_BAD. */
static int zb_record(int in, struct trace_record *e)
{
	uint64_t f[7];
	int c = zb_byte(in), r;

	if (c < 0)
		return c;
	for (int i = 0; i < 7; i++) {
		r = zb_varint(in, i == 0 ? c : zb_byte(in), &f[i]);
		if (r == ZB_EOF)
			r = ZB_CUT;
		if (r)
			return r;
	}
	if ((f[0] >> TRACE_FLAGS_SHIFT) > 0xffff || f[1] > 0xffffffffu) {
		zb_say("an operation or thread number out of its field (a damaged "
			 "trace)");
		return ZB_BAD;
	}
	e->op = (uint16_t)(f[0] & ((1u << TRACE_FLAGS_SHIFT) - 1));
	e->flags = (uint16_t)(f[0] >> TRACE_FLAGS_SHIFT);
	e->thread = (uint32_t)f[1];
	e->seq = zb.seq += unzigzag(f[2]);
	e->time_ns = zb.time += unzigzag(f[3]);
	if (e->op != TRACE_END && e->op <= TRACE_OP_LAST && trace_op_is_call(e->op)) {
		if (e->thread >= MAX_THREADS) {
			zb_say("a thread number above 65535 (a damaged trace)");
			return ZB_BAD;
		}
		e->ptr = zb.last_ptr[e->thread] += unzigzag(f[4]);
	} else {
		e->ptr = f[4];
	}
	e->size = f[5];
	e->aux = e->op == TRACE_REALLOC ? e->ptr + unzigzag(f[6]) : f[6];
	return ZB_OK;
}

/* After END: true when the body goes on (or cannot be read to its end). */
static bool body_goes_on(int in)
{
	char more;

	if (!zb.compressed)
		return read(in, &more, 1) > 0;
	return zb_byte(in) != ZB_EOF;
}

/* Reads up to cap whole records; *cut is set to the bytes of a record the file ends inside. */
static size_t read_records(int in, struct trace_record *buf, size_t cap, size_t *cut)
{
	if (zb.compressed) {
		size_t n = 0;

		*cut = 0;
		while (n < cap && !zb.damage[0]) {
			int r = zb_record(in, &buf[n]);

			if (r == ZB_EOF)
				break;
			if (r == ZB_CUT) {
				*cut = 1;
				break;
			}
			if (r)
				break;
			n++;
		}
		return n;
	}

	size_t want = cap * sizeof(*buf), got = 0;
	ssize_t n;

	while (got < want) {
		n = read(in, (char *)buf + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	*cut = got % sizeof(*buf);
	return got / sizeof(*buf);
}

#define HEADER_MAX (1u << 20)	/* = TraceFile.MAX_HEADER: version 4 names every image */

/* The header's "time_resolution_ns" (rsslab record writes it), 0 when absent. */
static uint64_t header_resolution(const char *text, size_t n)
{
	static const char key[] = "time_resolution_ns=";
	uint64_t v = 0;

	for (size_t i = 0; i + sizeof(key) - 1 < n; i++) {
		if ((i == 0 || text[i - 1] == '\n') && memcmp(text + i, key, sizeof(key) - 1) == 0) {
			for (i += sizeof(key) - 1; i < n && text[i] >= '0' && text[i] <= '9'; i++)
				v = v * 10 + (uint64_t)(text[i] - '0');
			return v;
		}
	}
	return 0;
}

/*
 * Version 4's stack table (u64 bytes, then per stack u32 id, u32 depth, depth
 * u64 addresses): checked entry by entry and read past; the replay names a
 * block's stack by its id (TRACE_STACK), rsslab resolves the ids.
 */
static uint64_t stack_count;	/* the trace's stacks: a TRACE_STACK's id is 1 to this */

static bool read_exactly(int in, void *to, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(in, (char *)to + got, n - got);

		if (r <= 0)
			return false;
		got += (size_t)r;
	}
	return true;
}

static int skip_stack_table(int in, int fd)
{
	uint64_t bytes, done = 0, pcs[TRACE_STACK_DEPTH];
	uint32_t entry[2];

	stack_count = 0;
	if (!read_exactly(in, &bytes, sizeof(bytes)))
		return say_bad(fd, "the trace ends before its stack table", 0);
	while (done < bytes) {
		if (bytes - done < sizeof(entry) || !read_exactly(in, entry, sizeof(entry)) ||
		    entry[0] != stack_count + 1 || entry[1] < 1 || entry[1] > TRACE_STACK_DEPTH ||
		    bytes - done - sizeof(entry) < entry[1] * 8ull || !read_exactly(in, pcs, entry[1] * 8ull))
			return say_bad(fd, "a damaged stack table (the entry after the last good one)", 0);
		stack_count++;
		done += sizeof(entry) + entry[1] * 8ull;
	}
	return RSSLAB_EXIT_OK;
}

static int read_header(int in, int fd, uint64_t *resolution_ns)
{
	char head[16];
	uint32_t version, n;
	char *text;
	size_t got = 0;

	if (read(in, head, sizeof(head)) != (ssize_t)sizeof(head) || memcmp(head, TRACE_MAGIC, 8) != 0)
		return say_bad(fd, "not an rsslab trace (wrong magic)", 0);
	memcpy(&version, head + 8, 4);
	memcpy(&n, head + 12, 4);
	if (version < 1 || version > TRACE_VERSION)
		return say_bad(fd, "a trace format version this replayer does not read", 0);
	if (n > HEADER_MAX)
		return say_bad(fd, "a header longer than 1 MiB (a damaged trace)", 0);
	text = map(HEADER_MAX);
	if (!text)
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	while (got < n) {
		ssize_t r = read(in, text + got, n - got);

		if (r <= 0) {
			munmap(text, HEADER_MAX);
			return say_bad(fd, "the trace ends inside its header", 0);
		}
		got += (size_t)r;
	}
	*resolution_ns = header_resolution(text, n);
	munmap(text, HEADER_MAX);
	if (version >= 4) {
		int ret = skip_stack_table(in, fd);

		if (ret)
			return ret;
	}
	if (version > TRACE_RECORDS_VERSION) {
		const char *why = zb_open();

		if (why)
			return say_bad(fd, why, 0);
	}
	return RSSLAB_EXIT_OK;
}

/*
 * The first pass, before any call is replayed: no record is trusted. Every
 * operation known, thread numbers below MAX_THREADS, sequence numbers rising
 * (strictly: the merged trace is in seq order), and one END record, the
 * file's last, whose seq counts the records before it: a zeroed record (op 0,
 * seq 0) or records shifted, lost or added stop the replay with the record's
 * number instead of a verdict on a part of the trace. *calls: the records
 * before END but the samples and marks; *end: END itself; *threads: the
 * highest thread number + 1. Leaves the file where it found it.
 */
static int check_trace(int in, struct trace_record *buf, int fd, long *calls, struct trace_record *end,
		       uint32_t *threads)
{
	off_t body = lseek(in, 0, SEEK_CUR);
	size_t n, cut = 0;
	long index = 0, samples = 0;
	uint64_t last_seq = 0;
	uint32_t last_thread = 0;

	*threads = 0;
	while ((n = read_records(in, buf, READ_RECORDS, &cut)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct trace_record *e = &buf[i];

			index++;
			if (e->op == TRACE_END) {
				if (e->seq != (uint64_t)(index - 1))
					return say_bad(fd, "a zeroed or damaged record (an END record that does not count "
						       "the records before it)", index);
				if (i + 1 < n || cut || body_goes_on(in))
					return say_bad(fd, "records after the END record (a damaged trace)", index + 1);
				*calls = index - 1 - samples;
				*end = *e;
				body_rewind(in, body);
				return RSSLAB_EXIT_OK;
			}
			if (e->op > TRACE_OP_LAST)
				return say_bad(fd, "unknown operation (a damaged trace)", index);
			if (e->thread >= MAX_THREADS)
				return say_bad(fd, "a thread number above 65535 (a damaged trace)", index);
			if (e->op == TRACE_STACK && (e->aux < 1 || e->aux > stack_count))
				return say_bad(fd, "a stack not in the trace's stack table (a damaged stack table)", index);
			if (e->op == TRACE_STACK ? index == 1 || e->seq != last_seq || e->thread != last_thread
			    : index > 1 && e->seq <= last_seq)
				return say_bad(fd, e->op == TRACE_STACK ? "a stack record not right after its call (a "
					       "damaged trace)" : "a sequence number not above the previous record's (a "
					       "damaged or reordered trace)", index);
			last_thread = e->thread;
			last_seq = e->seq;
			samples += !trace_op_is_call(e->op);
			if (e->thread >= *threads)
				*threads = e->thread + 1;
		}
		if (cut)
			break;
	}
	if (zb.damage[0])
		return say_bad(fd, zb.damage, index + 1);
	return say_bad(fd, cut ? "the trace ends inside this record (cut short)"
		       : "the trace ends before its END record (cut short)", index + 1);
}

/* Opens the trace and reads past its header; *in is its descriptor. */
static int open_trace(const char *path, int fd, int *in, uint64_t *resolution_ns)
{
	int ret;

	*in = open(path, O_RDONLY | O_CLOEXEC);
	if (*in < 0)
		return say_bad(fd, "cannot open the trace", 0);
	ret = read_header(*in, fd, resolution_ns);
	if (ret)
		close(*in);
	return ret;
}

static int measure_round(struct run *u);
static int walk_if_peak(struct run *u);

/* The replay reached next_stop: a sample, or a round's measurement; then the next stop. */
static int stop(struct run *u)
{
	int ret;

	if (!barrier(u))
		return RSSLAB_EXIT_MALLOC_FAILED;
	if (!u->rounds) {
		ret = sample(u, "during");
		u->next_stop += u->sample_every;
		return ret ? ret : walk_if_peak(u);
	}
	return measure_round(u);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * --timing recorded: the replay keeps to the program's clock (its record
 * times over speed). Ahead of it by more than gap_ns, it sleeps until the
 * record's time: the program's idle gaps, the short ones summed, come back
 * (jemalloc's and tcmalloc's decay are driven by time). Behind it (the
 * replay writes every page, the program may not have), the lag is
 * forgiven, so it does not eat a later gap.
 */
static void keep_time(struct run *u, uint64_t t)
{
	uint64_t want, now;
	struct timespec ts;

	if (!u->timing || t <= u->clock_ns)
		return;
	u->clock_ns = t;
	want = u->origin_ns + (uint64_t)((double)t / u->speed);
	now = now_ns();
	if (now >= want) {
		u->origin_ns += now - want;
		return;
	}
	if (want - now <= u->gap_ns)
		return;
	flush_all(u);
	ts.tv_sec = (time_t)(want / 1000000000u);
	ts.tv_nsec = (long)(want % 1000000000u);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	u->slept_us += (long)((now_ns() - now) / 1000);
}

/*
 * A call's stack (the TRACE_STACK right after it): the block it made keeps
 * it, for the pins; a large free's is kept for the threshold raise it may make.
 */
static void note_stack(struct run *u, const struct trace_record *call, long index, uint32_t stack)
{
	struct slot *s;

	if (trace_op_allocates(call->op) && call->ptr && (s = table_find(&u->r.table, call->ptr)) && (s->gen & 1))
		s->stack = stack;
	if (call->op == TRACE_FREE && u->r.freed_size >= 120 * 1024)
		pins_free_stack(index, stack);
}

/* Kept memory now: the anonymous RSS less the live bytes (KiB; the replayer's own base left in, as for the peaks). */
static long kept_now(struct run *u)
{
	long rss, anon;
	const char *field;

	if (procfs_rss_kb(&rss, &anon, &field) != 0)
		return -1;
	return anon - (long)(u->r.table.live_bytes / 1024);
}

/* The live blocks walked for the pins they hold (pins.c); the workers are drained. */
static int walk_pins(struct run *u, const char *moment)
{
	struct table *t = &u->r.table;
	size_t bytes = sizeof(struct pin_block) * (size_t)(u->r.live_blocks + 1);
	struct pin_block *v;
	long n = 0;
	int ret;

	if (u->rounds || !explain_glibc_malloc())
		return RSSLAB_EXIT_OK;	/* a matrix scenario, or another allocator: no glibc chunks to read */
	v = map(bytes);
	if (!v)
		return RSSLAB_EXIT_OK;	/* no pins rather than no replay */
	for (size_t i = 0; i < t->cap && n <= u->r.live_blocks; i++) {
		const struct slot *s = &t->slots[i];
		const struct block *b;

		if (!s->key || !(s->gen & 1) || !s->size)
			continue;
		b = block_at(&u->r.blocks, s->idx);
		if (!b->ptr || chunk_is_mmapped(b->ptr))
			continue;
		v[n++] = (struct pin_block){
			.ptr = (uintptr_t)b->ptr, .size = s->size, .stack = s->stack,
			.key = chunk_arena(b->ptr) ? (uintptr_t)b->ptr & ~(CHUNK_HEAP_MAX_SIZE - 1) : 0,
		};
	}
	ret = pins_walk(v, n, u->fd, moment, ++u->r.walks, kept_now(u)) ? RSSLAB_EXIT_OUTPUT_FAILED : RSSLAB_EXIT_OK;
	munmap(v, bytes);
	return ret;
}

/*
 * At a sample: walked again when the kept memory (anonymous RSS less the live
 * bytes) passed the last walk's by a tenth and 1 MiB, so the last "peak" walk
 * is within that of the largest, and the walks are few.
 */
static int walk_if_peak(struct run *u)
{
	long kept;

	if (u->rounds || !explain_glibc_malloc() || (kept = kept_now(u)) < 0)
		return RSSLAB_EXIT_OK;
	if (kept < u->r.kept_walked_kb + u->r.kept_walked_kb / 10 + 1024)
		return RSSLAB_EXIT_OK;
	u->r.kept_walked_kb = kept;
	return walk_pins(u, "peak");
}

static int replay_records(struct run *u, int in, struct trace_record *buf, bool *ended, size_t *cut)
{
	size_t n;
	int ret;
	struct trace_record prev = { .op = TRACE_END };

	while ((n = read_records(in, buf, READ_RECORDS, cut)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct trace_record *e = &buf[i];
			long index = ++u->r.records;

			if (e->op == TRACE_END) {
				*ended = true;
				return RSSLAB_EXIT_OK;
			}
			if (e->op > TRACE_OP_LAST || e->thread >= MAX_THREADS)
				return say_bad(u->fd, "unknown operation (a damaged trace)", index);
			keep_time(u, e->time_ns);
			if (e->op != TRACE_STACK)
				prev = *e;
			switch (e->op) {
			case TRACE_RSS:
				u->r.program_rss_kb = (long)(e->size / 1024);
				u->r.program_rss_anon_kb = (long)(e->aux / 1024);
				continue;	/* no call: no stop either */
			case TRACE_ARENA:
				u->program_arena[e->thread] = (unsigned long)e->aux + 1;
				continue;
			case TRACE_STACK:
				note_stack(u, &prev, index - 1, (uint32_t)e->aux);
				continue;	/* the call before it was made there */
			case TRACE_EXIT_BEGIN:
				u->r.program_rss_kb = (long)(e->size / 1024);
				u->r.program_rss_anon_kb = (long)(e->aux / 1024);
				if (u->rounds || u->before_exit_seen)
					continue;
				u->before_exit_seen = true;
				if (!barrier(u))
					return RSSLAB_EXIT_MALLOC_FAILED;
				ret = sample(u, "before_exit");
				if (!ret)
					ret = walk_pins(u, "before_exit");
				if (ret)
					return ret;
				continue;
			case TRACE_THREAD_EXIT:
				end_thread(u, e->thread, index);
				break;
			default:
				ret = issue(u, e, index);
				if (ret)
					return ret;
			}
			u->r.events++;
			u->last_time_ns = e->time_ns;
			if (u->r.events >= u->next_stop) {
				ret = stop(u);
				if (ret)
					return ret;
			}
		}
		flush_all(u);
		if (*cut)
			return RSSLAB_EXIT_OK;
	}
	return RSSLAB_EXIT_OK;
}

/* Arena numbers in the order threads first used them: 0 the main arena, 1.. thread arenas; -1 unknown. */
static int arena_number(unsigned long a, unsigned long *seen, int *n)
{
	if (a == CHUNK_ARENA_UNKNOWN)
		return -1;
	if (a == 0)
		return 0;
	for (int i = 0; i < *n; i++)
		if (seen[i] == a)
			return i + 1;
	if (*n < 1024)
		seen[(*n)++] = a;
	return *n;
}

/*
 * The arenas the program's threads used (TRACE_ARENA) against the replay's
 * (each worker's first heap block): how many each had, and the first
 * threads whose arena numbers differ.
 */
static int say_arenas(struct run *u, uint32_t threads)
{
	struct line l = { .len = 0 };
	unsigned long *seen_p = map(2 * 1024 * sizeof(unsigned long)), *seen_r = seen_p + 1024;
	int np = 0, nr = 0, differ = 0, ret = RSSLAB_EXIT_OK;
	bool main_p = false, main_r = false;

	if (!seen_p)
		return RSSLAB_EXIT_OK;
	for (uint32_t t = 0; t < threads; t++) {
		int a = arena_number(u->program_arena[t] - 1, seen_p, &np);
		int b = arena_number(u->replay_arena[t] - 1, seen_r, &nr);

		main_p |= a == 0;
		main_r |= b == 0;
		if (a != b && a >= 0 && differ++ < 8) {
			l.len = 0;
			line_put_str(&l, "arena_differs");
			line_put_kv(&l, "thread", (long)t);
			line_put_kv(&l, "program_arena", a);
			line_put_kv(&l, "replay_arena", b);
			if (line_write(&l, u->fd))
				ret = RSSLAB_EXIT_OUTPUT_FAILED;
		}
	}
	l.len = 0;
	line_put_str(&l, "arenas");
	line_put_kv(&l, "program", np + main_p);
	line_put_kv(&l, "replay", nr + main_r);
	line_put_kv(&l, "threads_differ", differ);
	line_put_kv(&l, "program_known", np + main_p > 0);
	if (line_write(&l, u->fd))
		ret = RSSLAB_EXIT_OUTPUT_FAILED;
	munmap(seen_p, 2 * 1024 * sizeof(unsigned long));
	return ret;
}

/* The record where a malloc of this replay returned NULL: the reader's, or a worker's. */
static long failed_record(struct run *u)
{
	long at = u->r.malloc_failed_at ? u->r.malloc_failed_at : atomic_load(&u->host->failed_at);

	for (int i = 0; i < u->n_active && !at; i++)
		at = atomic_load(&u->active[i]->failed_at);
	return at;
}

/* Every worker told to end and joined, the host last (unless the replay is stopping: each returns by itself). */
static void end_workers(struct run *u)
{
	struct op quit = { .kind = OP_QUIT };

	if (u->in_line)
		return;
	for (int i = 0; i < u->n_active; i++) {
		struct worker *w = u->active[i];

		if (!w->exited) {
			if (push(u, w, &quit) == RSSLAB_EXIT_OK)
				publish(&w->tail, w->pushed, &w->sleepers);
			w->exited = true;
			u->workers[w->recorded] = NULL;
		}
	}
	reap_exited(u);
	push(u, u->host, &quit);
	flush_all(u);
}

/*
 * The reader's whole replay, on its own thread unless in_line; its result
 * in ret. The arenas are read before the workers end.
 */
struct reader {
	struct run *u;
	void (*body)(struct reader *);
	int in;
	struct trace_record *buf;
	struct trace_record end_record;
	uint32_t threads;
	const char *name;	/* rounds: the scenario */
	bool explain;
	int ret;
};

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;

	rd->body(rd);
	return NULL;
}

/* Runs the reader (on a thread of its own when the trace has threads), the host's calls on this thread. */
static int run_replay(struct reader *rd)
{
	pthread_t t;
	struct run *u = rd->u;

	if (u->in_line) {
		rd->body(rd);
		return rd->ret;
	}
	if (pthread_create(&t, NULL, reader_thread, rd) != 0)
		return say_bad(u->fd, "cannot start the replay's reader thread", 0);
	run_worker(u->host);
	pthread_join(t, NULL);
	return rd->ret;
}

/* The blocks the program never freed go back too (LeakSanitizer, which does not scan the table, sees no leak). */
static void finish(struct run *u, int in, bool whole)
{
	for (size_t i = 0; whole && i < u->r.table.cap; i++) {
		struct slot *s = &u->r.table.slots[i];

		/* A block whose allocation was made (a stopped replay leaves some only claimed). */
		if (s->key && (s->gen & 1) && atomic_load(&block_at(&u->r.blocks, s->idx)->state) == s->gen)
			free(block_at(&u->r.blocks, s->idx)->ptr);
	}
	close(in);
}

static int setup(struct run *u, struct trace_record **buf)
{
	u->r.program_rss_kb = -1;
	*buf = map(READ_RECORDS * sizeof(**buf));
	u->workers = map(MAX_THREADS * sizeof(*u->workers));
	u->active = map(MAX_THREADS * sizeof(*u->active));
	u->program_arena = map(MAX_THREADS * sizeof(unsigned long));
	u->replay_arena = map(MAX_THREADS * sizeof(unsigned long));
	if (!*buf || !u->workers || !u->active || !u->program_arena || !u->replay_arena ||
	    !table_init(&u->r.table, 1 << 16))
		return say_bad(u->fd, "no memory for the replayer's own tables", 0);
	atomic_store(&stopping, false);
	return RSSLAB_EXIT_OK;
}

/* After check_trace: replays one thread in line when there is nothing to run beside it. */
static int start_host(struct run *u, uint32_t threads)
{
	u->in_line = !u->thread_host && (u->one_thread || threads <= 1);
	u->host = worker_new(u, 0, true);
	return u->host ? RSSLAB_EXIT_OK : say_bad(u->fd, "no memory for the replayer's own tables", 0);
}

static void replay_body(struct reader *rd);

int replay_main(const char *path, const struct replay_options *o, int fd)
{
	struct run u = { .fd = fd, .one_thread = o->one_thread, .thread_host = o->thread_host,
			 .sample_every = o->sample_every, .timing = o->timing_recorded, .speed = o->speed };
	struct reader rd = { .u = &u, .body = replay_body };
	uint64_t resolution = 0;
	long calls;
	int ret;

	ret = open_trace(path, fd, &rd.in, &resolution);
	if (ret)
		return ret;
	ret = setup(&u, &rd.buf);
	if (ret)
		return ret;
	ret = check_trace(rd.in, rd.buf, fd, &calls, &rd.end_record, &rd.threads);
	if (ret)
		return ret;
	/* A sleep is taken when it is longer than two ticks of the recorder's clock (a gap of one tick
	 * may be none), and at least 1 ms. */
	u.gap_ns = 2 * resolution > 1000000u ? 2 * resolution : 1000000u;
	ret = start_host(&u, rd.threads);
	if (ret)
		return ret;
	ret = run_replay(&rd);
	finish(&u, rd.in, ret == RSSLAB_EXIT_OK);
	return ret;
}

static void replay_body(struct reader *rd)
{
	struct run *u = rd->u;
	struct line l = { .len = 0 };
	bool ended = false;
	size_t cut = 0;
	long rss, anon;
	const char *field;
	int ret;

	if (procfs_rss_kb(&rss, &anon, &field) != 0) {
		rd->ret = RSSLAB_EXIT_PROC_FAILED;
		end_workers(u);
		return;
	}
	line_put_str(&l, "base");
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	line_put_kv(&l, "one_thread", u->one_thread);
	line_put_kv(&l, "sample_every", u->sample_every);
	line_put_kv(&l, "thread_host", u->thread_host);
	line_put_kv(&l, "recorded_threads", (long)rd->threads);
	line_put_kv_str(&l, "timing", u->timing ? "recorded" : "back-to-back");
	if (u->timing) {
		line_put_kv(&l, "gap_us", (long)(u->gap_ns / 1000));
		line_put_kv(&l, "speed_permille", (long)(u->speed * 1000 + 0.5));
	}
	line_put_str(&l, explain_glibc_malloc() ? "\tallocator=glibc" : "\tallocator=other");
	line_put_str(&l, "\tpreload=");
	line_put_str(&l, explain_preload());
	if (line_write(&l, u->fd)) {
		rd->ret = RSSLAB_EXIT_OUTPUT_FAILED;
		end_workers(u);
		return;
	}
	u->start_us = now_us();
	u->origin_ns = now_ns();
	u->live_threads = 1;
	u->next_stop = u->sample_every;
	ret = replay_records(u, rd->in, rd->buf, &ended, &cut);
	if (ret == RSSLAB_EXIT_OK && !barrier(u))
		ret = RSSLAB_EXIT_MALLOC_FAILED;
	if (ret == RSSLAB_EXIT_MALLOC_FAILED) {
		long at = failed_record(u);

		l.len = 0;
		line_put_str(&l, "malloc_failed");
		line_put_kv(&l, "record", at);
		line_write(&l, u->fd);
	}
	if (ret && ret != RSSLAB_EXIT_MALLOC_FAILED) {
		rd->ret = ret;
		atomic_store(&stopping, true);
		end_workers(u);
		return;
	}
	if (!ret)
		ret = sample(u, "at_exit");
	if (!ret)
		ret = walk_pins(u, "end");
	if (!ret && explain_glibc_malloc() && pins_raises(u->fd))
		ret = RSSLAB_EXIT_OUTPUT_FAILED;
	/* The arenas of the threads still running, then of those that ended. */
	for (int i = 0; i < u->n_active; i++)
		u->replay_arena[u->active[i]->recorded] = u->active[i]->arena + 1;
	if (!u->thread_host || u->in_line)
		u->replay_arena[0] = u->host->arena + 1;
	if (!ret)
		ret = say_arenas(u, rd->threads);
	l.len = 0;
	line_put_str(&l, "end");
	line_put_kv(&l, "events", u->r.events);
	line_put_kv(&l, "complete", ended);
	line_put_kv(&l, "cut_bytes", (long)cut);
	line_put_kv(&l, "failed_skipped", u->r.failed_skipped);
	line_put_kv(&l, "unknown_frees", u->r.unknown_frees);
	line_put_kv(&l, "first_unknown_free", u->r.first_unknown_free);
	line_put_kv(&l, "unknown_reallocs", u->r.unknown_reallocs);
	line_put_kv(&l, "first_unknown_realloc", u->r.first_unknown_realloc);
	line_put_kv(&l, "reused_addresses", u->r.reused_addresses);
	line_put_kv(&l, "first_reused_address", u->r.first_reused_address);
	line_put_kv(&l, "program_ended", (rd->end_record.flags & TRACE_END_ALL_WRITTEN) != 0);
	line_put_kv(&l, "lost", (long)rd->end_record.aux);
	line_put_kv(&l, "exit_marked", u->before_exit_seen);
	line_put_kv(&l, "slept_us", u->slept_us);
	line_put_kv(&l, "blocks_used", (long)u->r.blocks.used);
	line_put_kv(&l, "table_cap", (long)u->r.table.cap);
	if (line_write(&l, u->fd) && !ret)
		ret = RSSLAB_EXIT_OUTPUT_FAILED;
	end_workers(u);
	rd->ret = ret;
}

/* --- a trace as a scenario: rounds (records.h's records) --- */


static int proc_failed(struct run *u, const char *field)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "error");
	line_put_kv(&l, "k", u->rounds->k + 1);
	line_put_str(&l, "\tsource=" PROCFS_STATUS_PATH "\tfield=");
	line_put_str(&l, field);
	line_write(&l, u->fd);
	return RSSLAB_EXIT_PROC_FAILED;
}

/* The workers' mmapped blocks and largest freed mmapped chunk since the last round (all idle: a barrier), reset. */
static void round_stats(struct run *u, long *allocs, unsigned long *freed_max)
{
	*allocs = u->r.mmap_allocs + u->host->mmap_allocs;
	*freed_max = u->r.freed_mmapped_max > u->host->freed_mmapped_max ? u->r.freed_mmapped_max
									   : u->host->freed_mmapped_max;
	u->r.mmap_allocs = u->host->mmap_allocs = 0;
	u->r.freed_mmapped_max = u->host->freed_mmapped_max = 0;
	for (int i = 0; i < u->n_active; i++) {
		struct worker *w = u->active[i];

		*allocs += w->mmap_allocs;
		if (w->freed_mmapped_max > *freed_max)
			*freed_max = w->freed_mmapped_max;
		w->mmap_allocs = 0;
		w->freed_mmapped_max = 0;
	}
}

static int measure_round(struct run *u)
{
	struct rounds *r = u->rounds;
	struct line l = { .len = 0 };
	struct usage end;
	long rss, anon;
	const char *field;
	int k = r->k;

	if (u->r.events == r->peak_at[k]) {
		if (procfs_rss_kb(&r->alloc_rss, &r->alloc_anon, &field) != 0)
			return proc_failed(u, field);
		explain_usage(&r->at_peak);
		if (u->r.chunks)
			explain_heap(&r->heap_at_peak);
	}
	if (u->r.events == r->end[k]) {
		if (r->trim)
			malloc_trim(0);
		if (procfs_rss_kb(&rss, &anon, &field) != 0)
			return proc_failed(u, field);
		explain_usage(&end);
		line_put_str(&l, "round");
		line_put_kv(&l, "k", k + 1);
		line_put_kv(&l, "bytes", (long)r->peak_bytes[k]);
		line_put_kv(&l, "rss_after_alloc_kb", r->alloc_rss);
		line_put_kv(&l, "rss_after_free_kb", rss);
		line_put_kv(&l, "rss_anon_after_alloc_kb", r->alloc_anon);
		line_put_kv(&l, "rss_anon_after_free_kb", anon);
		line_put_kv(&l, "live_after_free_kb", (long)(u->r.table.live_bytes / 1024));
		records_put_usage(&l, "alloc_", &r->start, &r->at_peak);
		records_put_usage(&l, "free_", &r->at_peak, &end);
		if (u->r.chunks) {
			struct heap_state after;

			long allocs;
			unsigned long freed_max;

			explain_heap(&after);
			round_stats(u, &allocs, &freed_max);
			line_put_kv(&l, "mmap_allocs", allocs);
			line_put_kv(&l, "freed_mmapped_max", (long)freed_max);
			records_put_heap(&l, &r->heap_at_peak, "after_alloc_kb");
			records_put_heap(&l, &after, "after_free_kb");
		}
		if (line_write(&l, u->fd))
			return RSSLAB_EXIT_OUTPUT_FAILED;
		r->start = end;
		r->k = ++k;
		if (k == r->count) {
			u->next_stop = LONG_MAX;
			return RSSLAB_EXIT_OK;
		}
	}
	u->next_stop = r->peak_at[k] > u->r.events ? r->peak_at[k] : r->end[k];
	return RSSLAB_EXIT_OK;
}

/*
 * The first pass: where each round's live bytes peak, replaying the sizes
 * only (a table of recorded address -> size, nothing allocated).
 */
static int plan_rounds(struct run *u, int in, struct trace_record *buf, long calls)
{
	struct rounds *r = u->rounds;
	struct table t;
	struct slot *s;
	size_t n, cut;
	long index = 0;
	uint64_t live = 0;
	int k = 0;

	if (!table_init(&t, 1 << 16))
		return say_bad(u->fd, "no memory for the replayer's own tables", 0);
	for (int i = 0; i < r->count; i++) {
		r->end[i] = (long)((i + 1) * (calls / r->count)) + (i + 1 == r->count ? calls % r->count : 0);
		r->peak_at[i] = 0;
		r->peak_bytes[i] = 0;
	}
	while ((n = read_records(in, buf, READ_RECORDS, &cut)) > 0 && index < calls) {
		for (size_t i = 0; i < n && index < calls; i++) {
			const struct trace_record *e = &buf[i];

			if (!trace_op_is_call(e->op))
				continue;	/* no call: the rounds count calls */
			index++;
			if (!(e->flags & TRACE_FLAG_FAILED)) {
				uint64_t gone = e->op == TRACE_FREE ? e->ptr : e->op == TRACE_REALLOC ? e->aux : 0;

				if (gone && (s = table_find(&t, gone))) {
					live -= s->size;
					t.live_bytes -= s->size;
					s->size = 0;
					table_remove(&t, s);
				}
				if (trace_op_allocates(e->op) && e->ptr) {
					if ((s = table_find(&t, e->ptr))) {
						live -= s->size;
						s->size = 0;
						table_remove(&t, s);
					}
					s = table_add(&t, e->ptr, NULL);
					if (!s)
						return say_bad(u->fd, "no memory for the replayer's own tables", 0);
					s->size = e->size;
					live += e->size;
				}
			}
			while (k < r->count - 1 && index > r->end[k])
				k++;
			if (live > r->peak_bytes[k] || r->peak_at[k] == 0) {
				r->peak_bytes[k] = live;
				r->peak_at[k] = index;
			}
		}
	}
	munmap(t.slots, t.cap * sizeof(struct slot));
	return index == calls ? RSSLAB_EXIT_OK : say_bad(u->fd, "the trace ends before its last call", index);
}


static void rounds_body(struct reader *rd)
{
	struct run *u = rd->u;
	struct rounds *r = u->rounds;
	struct line l = { .len = 0 };
	bool ended = false;
	size_t cut = 0;
	long rss, anon;
	const char *field;
	int ret;

	records_put_header(&l, rd->name, u->thread_host ? "thread" : "native", r->trim, rd->explain, u->r.chunks);
	if (line_write(&l, u->fd)) {
		rd->ret = RSSLAB_EXIT_OUTPUT_FAILED;
		end_workers(u);
		return;
	}
	if (procfs_rss_kb(&rss, &anon, &field) != 0) {
		rd->ret = RSSLAB_EXIT_PROC_FAILED;
		end_workers(u);
		return;
	}
	l.len = 0;
	line_put_str(&l, "base");
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	if (line_write(&l, u->fd)) {
		rd->ret = RSSLAB_EXIT_OUTPUT_FAILED;
		end_workers(u);
		return;
	}
	u->start_us = now_us();
	u->live_threads = 1;
	explain_usage(&r->start);
	u->next_stop = r->peak_at[0];
	ret = replay_records(u, rd->in, rd->buf, &ended, &cut);
	if (ret == RSSLAB_EXIT_MALLOC_FAILED) {
		long at = failed_record(u);

		l.len = 0;
		line_put_str(&l, "malloc-failed");
		line_put_kv(&l, "k", r->k + 1);
		line_put_kv(&l, "i", at);
		line_put_kv(&l, "size", 0);
		line_write(&l, u->fd);
	}
	if (ret)
		atomic_store(&stopping, true);
	end_workers(u);
	rd->ret = ret;
}

int replay_rounds(const char *name, bool thread_host, bool trim, bool explain, const char *malloc_info_path, int fd)
{
	struct run u = { .fd = fd, .thread_host = thread_host, .next_stop = 0, .speed = 1 };
	struct rounds r = { .trim = trim };
	struct reader rd = { .u = &u, .body = rounds_body, .name = name, .explain = explain };
	struct line l = { .len = 0 };
	off_t body;
	uint64_t resolution;
	long calls;
	const char *path = name + strlen(REPLAY_SCENARIO_PREFIX);
	int ret;

	ret = open_trace(path, fd, &rd.in, &resolution);
	if (ret)
		return ret;
	body = lseek(rd.in, 0, SEEK_CUR);
	ret = setup(&u, &rd.buf);
	if (ret)
		return ret;
	/* The same rule as io.rsslab.plan.TraceScenario: a whole trace, its END record last. */
	ret = check_trace(rd.in, rd.buf, fd, &calls, &rd.end_record, &rd.threads);
	if (ret)
		return ret;
	if (calls < 1)
		return say_bad(fd, "not a whole trace (no calls)", 0);
	/* a cut or crashed program's trace: said by io.rsslab.plan.TraceScenario */
	r.count = calls < REPLAY_ROUNDS ? (int)calls : REPLAY_ROUNDS;
	r.end = map(REPLAY_ROUNDS * sizeof(long));
	r.peak_at = map(REPLAY_ROUNDS * sizeof(long));
	r.peak_bytes = map(REPLAY_ROUNDS * sizeof(uint64_t));
	if (!r.end || !r.peak_at || !r.peak_bytes)
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	u.rounds = &r;
	u.r.chunks = explain && explain_glibc_malloc();
	body_rewind(rd.in, body);
	ret = plan_rounds(&u, rd.in, rd.buf, calls);
	if (ret)
		return ret;
	body_rewind(rd.in, body);
	ret = start_host(&u, rd.threads);
	if (ret)
		return ret;
	ret = run_replay(&rd);
	if (!ret && r.k == r.count && malloc_info_path && explain && explain_glibc_malloc()) {
		/* After the measured rounds, on the main thread, as records.c does: its stdio allocations come last. */
		l.len = 0;
		line_put_str(&l, "malloc-info");
		line_put_kv_str(&l, "status", records_malloc_info(malloc_info_path) ? "written" : "failed");
		if (line_write(&l, fd))
			ret = RSSLAB_EXIT_OUTPUT_FAILED;
	}
	if (!ret && r.k == r.count) {
		l.len = 0;
		line_put_str(&l, "done");
		line_put_kv(&l, "rounds", r.count);
		if (line_write(&l, fd))
			ret = RSSLAB_EXIT_OUTPUT_FAILED;
	}
	finish(&u, rd.in, ret == RSSLAB_EXIT_OK);
	return ret;
}
