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
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>


#include "chunk.h"
#include "exit_codes.h"
#include "explain.h"
#include "line.h"
#include "procfs.h"
#include "records.h"
#include "replay.h"
#include "trace_format.h"

#define TRACE_MAGIC "RSSLABTR"
#define TRACE_VERSION 2	/* 2: TRACE_RSS records; 1 still replays */
#define TRACE_END 0
#define TRACE_END_ALL_WRITTEN 1u	/* END's flags: the process ended through exit() or execve, or was a fork */
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
	if (key == 0)
		return NULL;	/* 0 marks an empty slot: never a block (free(NULL), a malloc that returned NULL) */
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
	long events;		/* calls replayed (and thread ends): the program's call index, RSS records not counted */
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
	bool chunks;		/* glibc's malloc, rounds: read the chunk headers as records.c does */
	long mmap_allocs;	/* blocks served by mmap since the round began */
	unsigned long freed_mmapped_max;	/* the largest mmapped chunk freed since then */
};

/* Before a free: a freed mmapped chunk may raise glibc's thresholds (chunk.h). */
static void freeing(struct replay *r, const void *block)
{
	unsigned long candidate;

	if (!r->chunks)
		return;
	candidate = chunk_threshold_candidate(block);
	if (candidate > r->freed_mmapped_max)
		r->freed_mmapped_max = candidate;
}

/*
 * The program wrote its blocks: so does the replay, one byte per page from
 * offset from (the bytes a realloc kept were written before and copied or
 * kept in place by glibc: writing them again made a string grown by many
 * reallocs cost its whole length each time, quadratic in its calls) and
 * the last byte.
 */
static void touch(struct replay *r, void *block, uint64_t from, uint64_t size)
{
	volatile char *p = block;

	for (uint64_t off = from; off < size; off += r->page)
		p[off] = 1;
	if (size > from)
		p[size - 1] = 1;
}

static void keep(struct replay *r, uint64_t key, void *block, uint64_t size, long index)
{
	struct slot *s = table_find(&r->table, key);

	if (s) {
		/* glibc gave the program this address again, so it had been freed by a
		 * call the trace does not hold (one the recorder lost, or a damaged
		 * record): the old block goes, counted and named by its record. */
		if (!r->reused_addresses++)
			r->first_reused_address = index;
		freeing(r, s->block);
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
	uint64_t kept = 0;

	/* A call that failed, or an allocation that returned NULL (realloc(p, 0) aside: it freed p). */
	if ((e->flags & TRACE_FLAG_FAILED) || (trace_op_allocates(e->op) && !e->ptr &&
					      !(e->op == TRACE_REALLOC && e->size == 0))) {
		r->failed_skipped++;
		return true;
	}
	switch (e->op) {
	case TRACE_FREE:
		if (!e->ptr)
			return true;	/* free(NULL): nothing, as in glibc */
		s = table_find(&r->table, e->ptr);
		if (!s) {
			if (!r->unknown_frees++)
				r->first_unknown_free = index;
			return true;
		}
		freeing(r, s->block);
		free(s->block);
		table_remove(&r->table, s);
		return true;
	case TRACE_THREAD_EXIT:
		return true;
	case TRACE_RSS:
		r->program_rss_kb = (long)(e->size / 1024);
		r->program_rss_anon_kb = (long)(e->aux / 1024);
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
			kept = s->size < e->size ? s->size : e->size;
			freeing(r, old);
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
	touch(r, p, kept, e->size);
	if (r->chunks && chunk_is_mmapped(p))
		r->mmap_allocs++;
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
	long heap_us;		/* spent in mallinfo2 so far */
	long next_stop;		/* the call count at which the replay stops to measure */
	struct rounds *rounds;	/* NULL: samples every sample_every calls */
};

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

static int sample(struct run *u, bool final)
{
	struct line l = { .len = 0 };
	struct heap_state h;
	long rss, anon, t0 = now_us();
	const char *field;
	/*
	 * mallinfo2 walks every free chunk of every bin (malloc.c, int_mallinfo):
	 * a fragmented heap (perl's freed strings, 10^5-10^6 free chunks) made 200
	 * samples cost more than the replay. It is taken at the last sample and
	 * wherever it has cost under a tenth of the replay so far; elsewhere the
	 * heap fields are left out (unknown).
	 */
	bool heap = final || u->heap_us * 10 <= t0 - u->start_us;

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
	line_put_kv(&l, "threads", u->live_threads);
	line_put_kv(&l, "live_bytes", (long)u->r.table.live_bytes);
	line_put_kv(&l, "live_blocks", (long)u->r.table.used);
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	if (heap) {
		line_put_kv(&l, "heap_kb", h.heap_kb);
		line_put_kv(&l, "heap_free_kb", h.heap_free_kb);
		line_put_kv(&l, "mmapped_kb", h.mmapped_kb);
		line_put_kv(&l, "top_releasable_kb", h.top_releasable_kb);
	}
	if (u->r.program_rss_kb >= 0) {
		line_put_kv(&l, "program_rss_kb", u->r.program_rss_kb);
		line_put_kv(&l, "program_rss_anon_kb", u->r.program_rss_anon_kb);
	}
	line_put_kv(&l, "final", final);
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
	if (version < 1 || version > TRACE_VERSION)
		return say_bad(fd, "a trace format version this replayer does not read", 0);
	while (n > 0) {
		ssize_t got = read(in, skip, n < sizeof(skip) ? n : sizeof(skip));

		if (got <= 0)
			return say_bad(fd, "the trace ends inside its header", 0);
		n -= (uint32_t)got;
	}
	return RSSLAB_EXIT_OK;
}

/*
 * The first pass, before any call is replayed: no record is trusted. Every
 * operation known, thread numbers below MAX_THREADS, sequence numbers rising
 * (io.rsslab.trace.TraceFile writes them in order), and one END record, the
 * file's last, whose seq counts the records before it: a zeroed record (op 0,
 * seq 0) or records shifted, lost or added stop the replay with the record's
 * number instead of a verdict on a part of the trace. *calls: the records
 * before END but the RSS samples; *end: END itself. Leaves the file where it
 * found it.
 */
static int check_trace(int in, struct trace_record *buf, int fd, long *calls, struct trace_record *end)
{
	off_t body = lseek(in, 0, SEEK_CUR);
	size_t n, cut = 0;
	long index = 0, samples = 0;
	uint64_t last_seq = 0;
	char more;

	while ((n = read_records(in, buf, READ_RECORDS, &cut)) > 0) {
		for (size_t i = 0; i < n; i++) {
			const struct trace_record *e = &buf[i];

			index++;
			if (e->op == TRACE_END) {
				if (e->seq != (uint64_t)(index - 1))
					return say_bad(fd, "a zeroed or damaged record (an END record that does not count "
						       "the records before it)", index);
				if (i + 1 < n || cut || read(in, &more, 1) > 0)
					return say_bad(fd, "records after the END record (a damaged trace)", index + 1);
				*calls = index - 1 - samples;
				*end = *e;
				lseek(in, body, SEEK_SET);
				return RSSLAB_EXIT_OK;
			}
			if (e->op > TRACE_OP_LAST)
				return say_bad(fd, "unknown operation (a damaged trace)", index);
			if (e->thread >= MAX_THREADS)
				return say_bad(fd, "a thread number above 65535 (a damaged trace)", index);
			if (index > 1 && e->seq <= last_seq)
				return say_bad(fd, "a sequence number not above the previous record's (a damaged or "
					       "reordered trace)", index);
			last_seq = e->seq;
			samples += e->op == TRACE_RSS;
		}
		if (cut)
			break;
	}
	return say_bad(fd, cut ? "the trace ends inside this record (cut short)"
		       : "the trace ends before its END record (cut short)", index + 1);
}

/* Opens the trace and reads past its header; *in is its descriptor. */
static int open_trace(const char *path, int fd, int *in)
{
	int ret;

	*in = open(path, O_RDONLY | O_CLOEXEC);
	if (*in < 0)
		return say_bad(fd, "cannot open the trace", 0);
	ret = read_header(*in, fd);
	if (ret)
		close(*in);
	return ret;
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

/*
 * Once measured: the workers end, and the blocks the program never freed go
 * back too (LeakSanitizer, which does not scan the mmapped table, sees no leak).
 */
static void finish(struct run *u, int in)
{
	for (uint32_t t = 0; t < MAX_THREADS; t++)
		end_thread(u, t);
	for (size_t i = 0; i < u->r.table.cap; i++)
		if (u->r.table.slots[i].key)
			free(u->r.table.slots[i].block);
	close(in);
}

static int measure_round(struct run *u);

/* The replay reached next_stop: a sample, or a round's measurement; then the next stop. */
static int stop(struct run *u)
{
	int ret;

	if (!u->rounds) {
		ret = sample(u, false);
		u->next_stop += u->sample_every;
		return ret;
	}
	return measure_round(u);
}

static int replay_records(struct run *u, int in, struct trace_record *buf, bool *ended, size_t *cut)
{
	size_t n, i, j;
	int ret;

	while ((n = read_records(in, buf, READ_RECORDS, cut)) > 0) {
		for (i = 0; i < n; i = j) {
			if (buf[i].op == TRACE_END) {
				*ended = true;
				return RSSLAB_EXIT_OK;
			}
			if (buf[i].op > TRACE_OP_LAST)
				return say_bad(u->fd, "unknown operation (a damaged trace)", u->r.records + 1);
			if (buf[i].op == TRACE_THREAD_EXIT || buf[i].op == TRACE_RSS) {
				/* Here, not on a worker: a sample of the program's VmRSS starts no thread. */
				if (buf[i].op == TRACE_RSS)
					replay_one(&u->r, &buf[i], u->r.records + 1);
				else
					end_thread(u, buf[i].thread);
				j = i + 1;
			} else {
				/* A run of one thread's calls, cut where a sample is due. */
				for (j = i + 1; j < n && buf[j].thread == buf[i].thread && buf[j].op != TRACE_END &&
				     buf[j].op < TRACE_THREAD_EXIT && u->r.events + (long)(j - i) < u->next_stop; j++)
					;
				ret = dispatch(u, buf, i, j, u->r.records + 1);
				if (ret)
					return ret;
			}
			u->r.records += (long)(j - i);
			if (buf[i].op == TRACE_RSS)
				continue;	/* no call: no stop either */
			u->r.events += (long)(j - i);
			u->last_time_ns = buf[j - 1].time_ns;
			if (u->r.events >= u->next_stop) {
				ret = stop(u);
				if (ret)
					return ret;
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
	struct trace_record *buf, end_record;
	struct line l = { .len = 0 };
	bool ended = false;
	size_t cut = 0;
	long rss, anon, calls;
	const char *field;
	int in, ret;

	ret = open_trace(path, fd, &in);
	if (ret)
		return ret;
	u.r.page = (size_t)sysconf(_SC_PAGESIZE);
	u.r.program_rss_kb = -1;
	buf = map(READ_RECORDS * sizeof(*buf));
	u.workers = map(MAX_THREADS * sizeof(*u.workers));
	if (!buf || !u.workers || !table_init(&u.r.table, 1 << 16))
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	ret = check_trace(in, buf, fd, &calls, &end_record);
	if (ret)
		return ret;
	if (procfs_rss_kb(&rss, &anon, &field) != 0)
		return RSSLAB_EXIT_PROC_FAILED;
	line_put_str(&l, "base");
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	line_put_kv(&l, "one_thread", one_thread);
	line_put_kv(&l, "sample_every", sample_every);
	line_put_kv(&l, "thread_host", thread_host);
	line_put_str(&l, explain_glibc_malloc() ? "\tallocator=glibc" : "\tallocator=other");
	line_put_str(&l, "\tpreload=");
	line_put_str(&l, explain_preload());
	if (line_write(&l, fd))
		return RSSLAB_EXIT_OUTPUT_FAILED;
	u.start_us = now_us();
	u.live_threads = 1;
	u.next_stop = sample_every;
	ret = replay_records(&u, in, buf, &ended, &cut);
	if (ret == RSSLAB_EXIT_MALLOC_FAILED) {
		l.len = 0;
		line_put_str(&l, "malloc_failed");
		line_put_kv(&l, "record", u.r.malloc_failed_at);
		line_write(&l, fd);
	}
	if (ret && ret != RSSLAB_EXIT_MALLOC_FAILED)
		return ret;
	if (!ret)
		ret = sample(&u, true);
	l.len = 0;
	line_put_str(&l, "end");
	line_put_kv(&l, "events", u.r.events);
	line_put_kv(&l, "complete", ended);
	line_put_kv(&l, "cut_bytes", (long)cut);
	line_put_kv(&l, "failed_skipped", u.r.failed_skipped);
	line_put_kv(&l, "unknown_frees", u.r.unknown_frees);
	line_put_kv(&l, "first_unknown_free", u.r.first_unknown_free);
	line_put_kv(&l, "unknown_reallocs", u.r.unknown_reallocs);
	line_put_kv(&l, "first_unknown_realloc", u.r.first_unknown_realloc);
	line_put_kv(&l, "reused_addresses", u.r.reused_addresses);
	line_put_kv(&l, "first_reused_address", u.r.first_reused_address);
	line_put_kv(&l, "program_ended", (end_record.flags & TRACE_END_ALL_WRITTEN) != 0);
	line_put_kv(&l, "lost", (long)end_record.aux);
	if (line_write(&l, fd) && !ret)
		ret = RSSLAB_EXIT_OUTPUT_FAILED;
	finish(&u, in);
	return ret;
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

			explain_heap(&after);
			line_put_kv(&l, "mmap_allocs", u->r.mmap_allocs);
			line_put_kv(&l, "freed_mmapped_max", (long)u->r.freed_mmapped_max);
			records_put_heap(&l, &r->heap_at_peak, "after_alloc_kb");
			records_put_heap(&l, &after, "after_free_kb");
			u->r.mmap_allocs = 0;
			u->r.freed_mmapped_max = 0;
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

			if (e->op == TRACE_RSS)
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
					s = table_add(&t, e->ptr);
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


int replay_rounds(const char *name, bool thread_host, bool trim, bool explain, const char *malloc_info_path, int fd)
{
	struct run u = { .fd = fd, .thread_host = thread_host, .next_stop = 0 };
	struct rounds r = { .trim = trim };
	struct trace_record *buf, end_record;
	struct line l = { .len = 0 };
	bool ended = false;
	size_t cut = 0;
	off_t body;
	long calls, rss, anon;
	const char *field, *path = name + strlen(REPLAY_SCENARIO_PREFIX);
	int in, ret;

	ret = open_trace(path, fd, &in);
	if (ret)
		return ret;
	body = lseek(in, 0, SEEK_CUR);
	u.r.page = (size_t)sysconf(_SC_PAGESIZE);
	u.r.program_rss_kb = -1;
	buf = map(READ_RECORDS * sizeof(*buf));
	if (!buf)
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	/* The same rule as io.rsslab.plan.TraceScenario: a whole trace, its END record last. */
	ret = check_trace(in, buf, fd, &calls, &end_record);
	if (ret)
		return ret;
	if (calls < 1)
		return say_bad(fd, "not a whole trace (no calls)", 0);
	(void)end_record;	/* a cut or crashed program's trace: said by io.rsslab.plan.TraceScenario */
	r.count = calls < REPLAY_ROUNDS ? (int)calls : REPLAY_ROUNDS;
	u.workers = map(MAX_THREADS * sizeof(*u.workers));
	r.end = map(REPLAY_ROUNDS * sizeof(long));
	r.peak_at = map(REPLAY_ROUNDS * sizeof(long));
	r.peak_bytes = map(REPLAY_ROUNDS * sizeof(uint64_t));
	if (!buf || !u.workers || !r.end || !r.peak_at || !r.peak_bytes || !table_init(&u.r.table, 1 << 16))
		return say_bad(fd, "no memory for the replayer's own tables", 0);
	u.rounds = &r;
	u.r.chunks = explain && explain_glibc_malloc();
	lseek(in, body, SEEK_SET);
	ret = plan_rounds(&u, in, buf, calls);
	if (ret)
		return ret;
	lseek(in, body, SEEK_SET);
	records_put_header(&l, name, thread_host ? "thread" : "native", trim, explain, u.r.chunks);
	if (line_write(&l, fd))
		return RSSLAB_EXIT_OUTPUT_FAILED;
	if (procfs_rss_kb(&rss, &anon, &field) != 0)
		return RSSLAB_EXIT_PROC_FAILED;
	l.len = 0;
	line_put_str(&l, "base");
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	if (line_write(&l, fd))
		return RSSLAB_EXIT_OUTPUT_FAILED;
	u.start_us = now_us();
	u.live_threads = 1;
	explain_usage(&r.start);
	u.next_stop = r.peak_at[0];
	ret = replay_records(&u, in, buf, &ended, &cut);
	if (ret == RSSLAB_EXIT_MALLOC_FAILED) {
		l.len = 0;
		line_put_str(&l, "malloc-failed");
		line_put_kv(&l, "k", r.k + 1);
		line_put_kv(&l, "i", u.r.malloc_failed_at);
		line_put_kv(&l, "size", 0);
		line_write(&l, fd);
	}
	if (!ret && r.k == r.count && malloc_info_path && explain && explain_glibc_malloc()) {
		/* After the measured rounds, as records.c does: its stdio allocations come last. */
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
	finish(&u, in);
	return ret;
}
