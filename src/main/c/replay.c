/*
 * Replays a trace (io.rsslab.trace.TraceFile: a header, 48-byte records in
 * call order, an END record) in this process: every call made again with the
 * recorded size and alignment, every page of each new block written once,
 * on one thread per recorded thread (recorded thread 0, the first to call
 * malloc, on the main thread, so that it is served by the main arena as it
 * was), strictly one call at a time in the recorded order, so two replays
 * of one trace leave glibc in the same state.
 *
 * Nothing here allocates from the heap it replays into: the pointer table
 * (recorded address -> this replay's block), the read buffer and the
 * workers are mmapped, output goes through line.c and write(2). Memory grows
 * with the number of live blocks only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"
#include "explain.h"
#include "line.h"
#include "procfs.h"
#include "replay.h"
#include "trace_format.h"

#define TRACE_MAGIC "RSSLABTR"
#define TRACE_VERSION 1
#define TRACE_END 0
#define READ_RECORDS 4096
#define MAX_THREADS 65536

/* --- the pointer table: open addressing, linear probing, backward-shift deletion --- */

struct slot {
	uint64_t key;		/* the recorded address; 0: empty */
	void *block;
	uint64_t size;
};

struct table {
	struct slot *slots;
	size_t cap;		/* a power of two */
	size_t used;
	uint64_t live_bytes;
};

static void *map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

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
	for (size_t i = home(t, key);; i = (i + 1) & (t->cap - 1)) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		if (t->slots[i].key == 0)
			return NULL;
	}
}

static bool table_grow(struct table *t);

/* Adds key; returns the slot (the caller fills it), NULL when no memory is left for the table. */
static struct slot *table_add(struct table *t, uint64_t key)
{
	size_t i;

	if ((t->used + 1) * 2 > t->cap && !table_grow(t))
		return NULL;
	for (i = home(t, key); t->slots[i].key != 0; i = (i + 1) & (t->cap - 1))
		;
	t->slots[i].key = key;
	t->used++;
	return &t->slots[i];
}

static bool table_grow(struct table *t)
{
	struct table bigger;

	if (!table_init(&bigger, t->cap * 2))
		return false;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slots[i].key) {
			struct slot *s = table_add(&bigger, t->slots[i].key);

			s->block = t->slots[i].block;
			s->size = t->slots[i].size;
		}
	}
	bigger.live_bytes = t->live_bytes;
	munmap(t->slots, t->cap * sizeof(struct slot));
	*t = bigger;
	return true;
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

/* --- one call --- */

struct replay {
	struct table table;
	size_t page;
	long events;
	long failed_skipped;
	long unknown_frees;
	long first_unknown_free;
	long unknown_reallocs;
	long first_unknown_realloc;
	long reused_addresses;
	long malloc_failed_at;	/* record number where this replay's malloc returned NULL; 0: none */
	bool table_full;
};

/* The program wrote its blocks: so does the replay, one byte per page and the last one. */
static void touch(struct replay *r, void *block, uint64_t size)
{
	volatile char *p = block;

	for (uint64_t off = 0; off < size; off += r->page)
		p[off] = 1;
	if (size)
		p[size - 1] = 1;
}

static void keep(struct replay *r, uint64_t key, void *block, uint64_t size, long index)
{
	struct slot *s = table_find(&r->table, key);

	if (s) {
		/* glibc gave the program this address again, so it had been freed: the
		 * free comes later in the trace only because two threads raced. */
		r->reused_addresses++;
		free(s->block);
		table_remove(&r->table, s);
	}
	s = table_add(&r->table, key);
	if (!s) {
		r->table_full = true;
		r->malloc_failed_at = index;
		free(block);
		return;
	}
	s->block = block;
	s->size = size;
	r->table.live_bytes += size;
}

/* Replays record number index (1-based); false when this replay's malloc returned NULL. */
static bool replay_one(struct replay *r, const struct trace_record *e, long index)
{
	struct slot *s;
	void *old = NULL, *p = NULL;

	if (e->flags & TRACE_FLAG_FAILED) {
		r->failed_skipped++;
		return true;
	}
	switch (e->op) {
	case TRACE_FREE:
		s = table_find(&r->table, e->ptr);
		if (!s) {
			if (!r->unknown_frees++)
				r->first_unknown_free = index;
			return true;
		}
		free(s->block);
		table_remove(&r->table, s);
		return true;
	case TRACE_THREAD_EXIT:
		return true;
	case TRACE_REALLOC:
		if (e->aux) {
			s = table_find(&r->table, e->aux);
			if (!s) {
				if (!r->unknown_reallocs++)
					r->first_unknown_realloc = index;
				return true;
			}
			old = s->block;
			r->table.live_bytes -= s->size;
			s->size = 0;
			table_remove(&r->table, s);
		}
		p = realloc(old, e->size);
		if (!p && e->size) {
			r->malloc_failed_at = index;
			free(old);
			return false;
		}
		break;
	case TRACE_MALLOC:
		p = malloc(e->size);
		break;
	case TRACE_CALLOC:
		p = calloc(1, e->size);
		break;
	case TRACE_MEMALIGN:
	case TRACE_POSIX_MEMALIGN:
	case TRACE_ALIGNED_ALLOC:
		p = memalign(e->aux, e->size);
		break;
	case TRACE_VALLOC:
		p = valloc(e->size);
		break;
	case TRACE_PVALLOC:
		p = pvalloc(e->size);
		break;
	}
	if (!p) {
		if (e->op == TRACE_REALLOC)
			return true;	/* realloc(p, 0): p freed, as in the program */
		r->malloc_failed_at = index;
		return false;
	}
	touch(r, p, e->size);
	if (e->ptr)
		keep(r, e->ptr, p, e->size, index);
	else
		free(p);
	return !r->table_full;
}

/* --- workers: one per recorded thread, each call handed over and waited for --- */

enum worker_state { IDLE, WORK, EXIT };

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	enum worker_state state;
	struct replay *r;
	const struct trace_record *batch;
	size_t n;
	long first_index;
	bool ok;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->state == IDLE)
			pthread_cond_wait(&w->wake, &w->lock);
		if (w->state == EXIT)
			break;
		w->ok = true;
		for (size_t i = 0; i < w->n && w->ok; i++)
			w->ok = replay_one(w->r, &w->batch[i], w->first_index + (long)i);
		w->state = IDLE;
		pthread_cond_broadcast(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static struct worker *worker_start(struct replay *r)
{
	struct worker *w = map(sizeof(*w));

	if (!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	w->state = IDLE;
	w->r = r;
	if (pthread_create(&w->thread, NULL, work, w) != 0) {
		munmap(w, sizeof(*w));
		return NULL;
	}
	return w;
}

static bool worker_run(struct worker *w, const struct trace_record *batch, size_t n, long first_index)
{
	pthread_mutex_lock(&w->lock);
	w->batch = batch;
	w->n = n;
	w->first_index = first_index;
	w->state = WORK;
	pthread_cond_broadcast(&w->wake);
	while (w->state == WORK)
		pthread_cond_wait(&w->wake, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return w->ok;
}

/* The recorded thread ended: so does its worker, and glibc puts its arena on the free list. */
static void worker_end(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->state = EXIT;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	munmap(w, sizeof(*w));
}

/* --- output --- */

static void put_kv(struct line *l, const char *key, long v)
{
	line_put_str(l, "\t");
	line_put_str(l, key);
	line_put_str(l, "=");
	line_put_num(l, v);
}

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

struct run {
	struct replay r;
	struct worker **workers;	/* by recorded thread number */
	int fd;
	bool one_thread;
	bool thread_host;	/* recorded thread 0 too on a new thread: a thread arena serves it */
	long sample_every;
	long start_us;
	int live_threads;
	uint64_t last_time_ns;
};

static int sample(struct run *u, bool final)
{
	struct line l = { .len = 0 };
	struct heap_state h;
	long rss, anon;
	const char *field;

	if (procfs_rss_kb(&rss, &anon, &field) != 0) {
		line_put_str(&l, "error");
		put_kv(&l, "events", u->r.events);
		line_put_str(&l, "\tsource=" PROCFS_STATUS_PATH "\tfield=");
		line_put_str(&l, field);
		line_write(&l, u->fd);
		return RSSLAB_EXIT_PROC_FAILED;
	}
	explain_heap(&h);
	line_put_str(&l, "sample");
	put_kv(&l, "events", u->r.events);
	put_kv(&l, "recorded_ms", (long)(u->last_time_ns / 1000000u));
	put_kv(&l, "wall_us", now_us() - u->start_us);
	put_kv(&l, "threads", u->live_threads);
	put_kv(&l, "live_bytes", (long)u->r.table.live_bytes);
	put_kv(&l, "live_blocks", (long)u->r.table.used);
	put_kv(&l, "rss_kb", rss);
	put_kv(&l, "rss_anon_kb", anon);
	put_kv(&l, "heap_kb", h.heap_kb);
	put_kv(&l, "heap_free_kb", h.heap_free_kb);
	put_kv(&l, "mmapped_kb", h.mmapped_kb);
	put_kv(&l, "top_releasable_kb", h.top_releasable_kb);
	put_kv(&l, "final", final);
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

/* Reads up to cap whole records; *cut is set to the bytes of a record the file ends inside. */
static size_t read_records(int in, struct trace_record *buf, size_t cap, size_t *cut)
{
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

static int read_header(int in, int fd)
{
	char head[16];
	uint32_t version, n;
	char skip[4096];

	if (read(in, head, sizeof(head)) != (ssize_t)sizeof(head) || memcmp(head, TRACE_MAGIC, 8) != 0)
		return say_bad(fd, "not an rsslab trace (wrong magic)", 0);
	memcpy(&version, head + 8, 4);
	memcpy(&n, head + 12, 4);
	if (version != TRACE_VERSION)
		return say_bad(fd, "a trace format version this replayer does not read", 0);
	while (n > 0) {
		ssize_t got = read(in, skip, n < sizeof(skip) ? n : sizeof(skip));

		if (got <= 0)
			return say_bad(fd, "the trace ends inside its header", 0);
		n -= (uint32_t)got;
	}
	return RSSLAB_EXIT_OK;
}

/* Hands the calls [i, j) of thread t to its worker, or runs them here for thread 0. */
static int dispatch(struct run *u, const struct trace_record *buf, size_t i, size_t j, long first_index)
{
	uint32_t t = u->one_thread ? 0 : buf[i].thread;
	struct worker *w;

	if (t == 0 && !u->thread_host) {
		for (size_t x = i; x < j; x++)
			if (!replay_one(&u->r, &buf[x], first_index + (long)(x - i)))
				return RSSLAB_EXIT_MALLOC_FAILED;
		return RSSLAB_EXIT_OK;
	}
	if (t >= MAX_THREADS)
		return say_bad(u->fd, "a thread number above 65535", first_index);
	w = u->workers[t];
	if (!w) {
		w = u->workers[t] = worker_start(&u->r);
		if (!w)
			return say_bad(u->fd, "cannot start a thread for a recorded thread", first_index);
		u->live_threads += t != 0;
	}
	return worker_run(w, buf + i, j - i, first_index) ? RSSLAB_EXIT_OK : RSSLAB_EXIT_MALLOC_FAILED;
}

static void end_thread(struct run *u, uint32_t t)
{
	if (u->one_thread || (t == 0 && !u->thread_host) || t >= MAX_THREADS || !u->workers[t])
		return;
	worker_end(u->workers[t]);
	u->workers[t] = NULL;
	u->live_threads -= t != 0;
}

static int replay_records(struct run *u, int in, struct trace_record *buf, bool *ended, size_t *cut)
{
	size_t n, i, j;
	long next_sample = u->sample_every;
	int ret;

	while ((n = read_records(in, buf, READ_RECORDS, cut)) > 0) {
		for (i = 0; i < n; i = j) {
			if (buf[i].op == TRACE_END) {
				*ended = true;
				return RSSLAB_EXIT_OK;
			}
			if (buf[i].op > TRACE_THREAD_EXIT)
				return say_bad(u->fd, "unknown operation (a damaged trace)", u->r.events + 1);
			if (buf[i].op == TRACE_THREAD_EXIT) {
				end_thread(u, buf[i].thread);
				j = i + 1;
			} else {
				/* A run of one thread's calls, cut where a sample is due. */
				for (j = i + 1; j < n && buf[j].thread == buf[i].thread && buf[j].op != TRACE_END &&
				     buf[j].op < TRACE_THREAD_EXIT && u->r.events + (long)(j - i) < next_sample; j++)
					;
				ret = dispatch(u, buf, i, j, u->r.events + 1);
				if (ret)
					return ret;
			}
			u->r.events += (long)(j - i);
			u->last_time_ns = buf[j - 1].time_ns;
			if (u->r.events >= next_sample) {
				ret = sample(u, false);
				if (ret)
					return ret;
				next_sample += u->sample_every;
			}
		}
		if (*cut)
			return RSSLAB_EXIT_OK;
	}
	return RSSLAB_EXIT_OK;
}

int replay_main(const char *path, bool one_thread, bool thread_host, long sample_every, int fd)
{
	struct run u = { .fd = fd, .one_thread = one_thread, .thread_host = thread_host, .sample_every = sample_every };
	struct trace_record *buf;
	struct line l = { .len = 0 };
	bool ended = false;
	size_t cut = 0;
	long rss, anon;
	const char *field;
	int in, ret;

	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return say_bad(fd, "cannot open the trace", 0);
	ret = read_header(in, fd);
	if (ret)
		return ret;
	u.r.page = (size_t)sysconf(_SC_PAGESIZE);
	buf = map(READ_RECORDS * sizeof(*buf));
	u.workers = map(MAX_THREADS * sizeof(*u.workers));
	if (!buf || !u.workers || !table_init(&u.r.table, 1 << 16))
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	if (procfs_rss_kb(&rss, &anon, &field) != 0)
		return RSSLAB_EXIT_PROC_FAILED;
	line_put_str(&l, "base");
	put_kv(&l, "rss_kb", rss);
	put_kv(&l, "rss_anon_kb", anon);
	put_kv(&l, "one_thread", one_thread);
	put_kv(&l, "sample_every", sample_every);
	put_kv(&l, "thread_host", thread_host);
	line_put_str(&l, explain_glibc_malloc() ? "\tallocator=glibc" : "\tallocator=other");
	line_put_str(&l, "\tpreload=");
	line_put_str(&l, explain_preload());
	if (line_write(&l, fd))
		return RSSLAB_EXIT_OUTPUT_FAILED;
	u.start_us = now_us();
	u.live_threads = 1;
	ret = replay_records(&u, in, buf, &ended, &cut);
	if (ret == RSSLAB_EXIT_MALLOC_FAILED) {
		l.len = 0;
		line_put_str(&l, "malloc_failed");
		put_kv(&l, "record", u.r.malloc_failed_at);
		line_write(&l, fd);
	}
	if (ret && ret != RSSLAB_EXIT_MALLOC_FAILED)
		return ret;
	if (!ret)
		ret = sample(&u, true);
	l.len = 0;
	line_put_str(&l, "end");
	put_kv(&l, "events", u.r.events);
	put_kv(&l, "complete", ended);
	put_kv(&l, "cut_bytes", (long)cut);
	put_kv(&l, "failed_skipped", u.r.failed_skipped);
	put_kv(&l, "unknown_frees", u.r.unknown_frees);
	put_kv(&l, "first_unknown_free", u.r.first_unknown_free);
	put_kv(&l, "unknown_reallocs", u.r.unknown_reallocs);
	put_kv(&l, "first_unknown_realloc", u.r.first_unknown_realloc);
	put_kv(&l, "reused_addresses", u.r.reused_addresses);
	if (line_write(&l, fd) && !ret)
		ret = RSSLAB_EXIT_OUTPUT_FAILED;
	for (uint32_t t = 0; t < MAX_THREADS; t++)
		end_thread(&u, t);
	/* Measured: the blocks the program never freed go back too (and LeakSanitizer, which does not scan
	 * the mmapped table, sees no leak). */
	for (size_t i = 0; i < u.r.table.cap; i++)
		if (u.r.table.slots[i].key)
			free(u.r.table.slots[i].block);
	close(in);
	return ret;
}
