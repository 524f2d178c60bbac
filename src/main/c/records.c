#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "explain.h"
#include "line.h"
#include "procfs.h"
#include "records.h"

struct records_ctx {
	int fd;
	int pause_after_round;
	int failed;		/* a write failed: stop writing, report at the end */
	bool explain;
	bool glibc;		/* chunk headers and mallinfo2 mean something */
	int rounds;
	/* The round in progress. */
	struct usage round_start, alloc_end, free_start, free_end;
	long rss_after_alloc_kb, rss_anon_after_alloc_kb;
	struct heap_state heap_after_alloc;
	long mmap_allocs;
	unsigned long freed_mmapped_max;
};

static void emit(struct records_ctx *c, struct line *l)
{
	if (!c->failed && line_write(l, c->fd))
		c->failed = 1;
}

/* key = a + b, e.g. "alloc_" + "minflt" or "heap_" + "after_alloc_kb". */
static void put_kv2(struct line *l, const char *a, const char *b, long v)
{
	line_put_str(l, "\t");
	line_put_str(l, a);
	line_put_str(l, b);
	line_put_str(l, "=");
	line_put_num(l, v);
}

static void put_kv(struct line *l, const char *key, long v)
{
	put_kv2(l, key, "", v);
}

static void put_kv_str(struct line *l, const char *key, const char *v)
{
	line_put_str(l, "\t");
	line_put_str(l, key);
	line_put_str(l, "=");
	line_put_str(l, v);
}

static void on_round_started(void *ctx, int k)
{
	struct records_ctx *c = ctx;

	(void)k;
	c->mmap_allocs = 0;
	c->freed_mmapped_max = 0;
	explain_usage(&c->round_start);
}

static void on_malloced(void *ctx, int k, int i, const char *cp)
{
	struct records_ctx *c = ctx;

	(void)k;
	(void)i;
	if (c->glibc && explain_chunk_mmapped(cp))
		c->mmap_allocs++;
}

/* free() raises the threshold to such a chunk's size (malloc.c, __libc_free). */
static void on_freeing(void *ctx, int k, int i, const char *cp)
{
	struct records_ctx *c = ctx;
	unsigned long raw;

	(void)k;
	(void)i;
	if (!c->glibc || !explain_chunk_mmapped(cp))
		return;
	raw = explain_chunk_size_raw(cp);
	if (raw <= EXPLAIN_DYN_THRESHOLD_MAX && (raw & ~7UL) > c->freed_mmapped_max)
		c->freed_mmapped_max = raw & ~7UL;
}

static void on_allocated(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;

	(void)k;
	(void)sum;
	if (c->explain)
		explain_usage(&c->alloc_end);
	procfs_rss_kb(&c->rss_after_alloc_kb, &c->rss_anon_after_alloc_kb);
	if (c->explain && c->glibc)
		explain_heap(&c->heap_after_alloc);
	/* The free phase starts after our own readings. */
	if (c->explain)
		explain_usage(&c->free_start);
}

static void on_freed(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	(void)k;
	(void)sum;
}

static void put_heap(struct line *l, const struct heap_state *h, const char *phase)
{
	put_kv2(l, "heap_", phase, h->heap_kb);
	put_kv2(l, "heap_free_", phase, h->heap_free_kb);
	put_kv2(l, "mmapped_", phase, h->mmapped_kb);
	put_kv2(l, "top_releasable_", phase, h->top_releasable_kb);
}

static void put_usage(struct line *l, const char *phase, const struct usage *from, const struct usage *to)
{
	put_kv2(l, phase, "minflt", to->minflt - from->minflt);
	put_kv2(l, phase, "user_us", to->user_us - from->user_us);
	put_kv2(l, phase, "sys_us", to->sys_us - from->sys_us);
	put_kv2(l, phase, "wall_us", to->wall_us - from->wall_us);
}

/* Wait for one line on stdin (read(2), a static buffer), then read RSS again. */
static void pause_for_parent(struct records_ctx *c, int k)
{
	static char buf[64];
	struct line l = { .len = 0 };
	long rss, anon;
	ssize_t n;

	line_put_str(&l, "paused");
	put_kv(&l, "k", k);
	put_kv(&l, "pid", (long)getpid());
	emit(c, &l);
	do {
		n = read(STDIN_FILENO, buf, sizeof(buf));
	} while ((n < 0 && errno == EINTR) || (n > 0 && !memchr(buf, '\n', n)));
	procfs_rss_kb(&rss, &anon);
	l.len = 0;
	line_put_str(&l, "resumed");
	put_kv(&l, "k", k);
	put_kv(&l, "rss_kb", rss);
	put_kv(&l, "rss_anon_kb", anon);
	emit(c, &l);
}

static void on_settled(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;
	struct line l = { .len = 0 };
	struct heap_state heap_after_free;
	long rss_after_free_kb, rss_anon_after_free_kb;

	if (c->explain)
		explain_usage(&c->free_end);
	procfs_rss_kb(&rss_after_free_kb, &rss_anon_after_free_kb);
	line_put_str(&l, "round");
	put_kv(&l, "k", k);
	put_kv(&l, "bytes", (long)sum);
	put_kv(&l, "rss_after_alloc_kb", c->rss_after_alloc_kb);
	put_kv(&l, "rss_after_free_kb", rss_after_free_kb);
	put_kv(&l, "rss_anon_after_alloc_kb", c->rss_anon_after_alloc_kb);
	put_kv(&l, "rss_anon_after_free_kb", rss_anon_after_free_kb);
	if (c->explain) {
		put_usage(&l, "alloc_", &c->round_start, &c->alloc_end);
		put_usage(&l, "free_", &c->free_start, &c->free_end);
		if (c->glibc) {
			explain_heap(&heap_after_free);
			put_kv(&l, "mmap_allocs", c->mmap_allocs);
			put_kv(&l, "freed_mmapped_max", (long)c->freed_mmapped_max);
			put_heap(&l, &c->heap_after_alloc, "after_alloc_kb");
			put_heap(&l, &heap_after_free, "after_free_kb");
		}
	}
	emit(c, &l);
	c->rounds++;
	if (k == c->pause_after_round)
		pause_for_parent(c, k);
}

static void on_malloc_failed(void *ctx, int k, int i, unsigned int size)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "malloc-failed");
	put_kv(&l, "k", k);
	put_kv(&l, "i", i);
	put_kv(&l, "size", (long)size);
	emit(ctx, &l);
}

static void emit_header(struct records_ctx *c, const struct scenario *s, const struct records_options *o)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "rsslab");
	put_kv(&l, "version", RSSLAB_RECORDS_VERSION);
	put_kv_str(&l, "scenario", s->name);
	put_kv_str(&l, "host", o->host);
	put_kv(&l, "trim", o->trim ? 1 : 0);
	put_kv_str(&l, "glibc", gnu_get_libc_version());
	put_kv(&l, "pid", (long)getpid());
	put_kv_str(&l, "allocator", !o->explain ? "unknown" : c->glibc ? "glibc" : "other");
	put_kv(&l, "explain", o->explain ? 1 : 0);
	emit(c, &l);
}

static void emit_base(struct records_ctx *c)
{
	struct line l = { .len = 0 };
	long rss, anon;

	procfs_rss_kb(&rss, &anon);
	line_put_str(&l, "base");
	put_kv(&l, "rss_kb", rss);
	put_kv(&l, "rss_anon_kb", anon);
	emit(c, &l);
}

/* After the measured rounds, so its stdio allocations cannot disturb them. */
static void emit_malloc_info(struct records_ctx *c, const char *path)
{
	struct line l = { .len = 0 };
	FILE *fp = fopen(path, "w");
	int ok = fp && malloc_info(0, fp) == 0;

	if (fp && fclose(fp) != 0)
		ok = 0;
	line_put_str(&l, "malloc-info");
	put_kv_str(&l, "status", ok ? "written" : "failed");
	emit(c, &l);
}

int records_run(const struct scenario *s, const struct records_options *o)
{
	struct records_ctx c = { .fd = o->fd, .explain = o->explain, .pause_after_round = o->pause_after_round };
	struct reporter r = {
		.allocated = on_allocated,
		.freed = on_freed,
		.settled = on_settled,
		.malloc_failed = on_malloc_failed,
		.ctx = &c,
	};
	int ret;

	/* Before the base reading: dlopen may allocate. */
	c.glibc = o->explain && explain_glibc_malloc();
	if (o->explain) {
		/*
		 * Run each reading once before the base: their code pages are then
		 * resident already, and RSS differs from a bare run only by what
		 * the allocator does.
		 */
		explain_usage(&c.round_start);
		if (c.glibc)
			explain_heap(&c.heap_after_alloc);
		r.round_started = on_round_started;
		r.malloced = on_malloced;
		r.freeing = on_freeing;
	}
	emit_header(&c, s, o);
	emit_base(&c);
	ret = scenario_run(s, o->trim, &r);
	if (ret == 0 && o->malloc_info_path && c.glibc)
		emit_malloc_info(&c, o->malloc_info_path);
	if (ret == 0) {
		struct line l = { .len = 0 };

		line_put_str(&l, "done");
		put_kv(&l, "rounds", c.rounds);
		emit(&c, &l);
	}
	return c.failed ? 3 : ret;
}
