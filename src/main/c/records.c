#include <errno.h>
#include <gnu/libc-version.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "chunk.h"
#include "exit_codes.h"
#include "explain.h"
#include "line.h"
#include "procfs.h"
#include "records.h"

struct records_ctx {
	int fd;
	bool churn;		/* a churn scenario: the round record says what is still live */
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

/*
 * VmRSS and RssAnon, or an "error" record and RSSLAB_EXIT_PROC_FAILED: a
 * reading that failed must never reach the data as a number.
 */
static int read_rss(struct records_ctx *c, int k, long *rss, long *anon)
{
	struct line l = { .len = 0 };
	const char *field;

	if (procfs_rss_kb(rss, anon, &field) == 0)
		return 0;
	line_put_str(&l, "error");
	line_put_kv(&l, "k", k);
	line_put_kv_str(&l, "source", PROCFS_STATUS_PATH);
	line_put_kv_str(&l, "field", field);
	emit(c, &l);
	return RSSLAB_EXIT_PROC_FAILED;
}

static int on_round_started(void *ctx, int k)
{
	struct records_ctx *c = ctx;

	(void)k;
	c->mmap_allocs = 0;
	c->freed_mmapped_max = 0;
	explain_usage(&c->round_start);
	return 0;
}

static void on_malloced(void *ctx, int k, int i, const char *cp)
{
	struct records_ctx *c = ctx;

	(void)k;
	(void)i;
	if (c->glibc && chunk_is_mmapped(cp))
		c->mmap_allocs++;
}

/* free() may raise the dynamic threshold to such a chunk's size (chunk.h). */
static void on_freeing(void *ctx, int k, int i, const char *cp)
{
	struct records_ctx *c = ctx;
	unsigned long candidate;

	(void)k;
	(void)i;
	if (!c->glibc)
		return;
	candidate = chunk_threshold_candidate(cp);
	if (candidate > c->freed_mmapped_max)
		c->freed_mmapped_max = candidate;
}

static int on_allocated(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;
	int err;

	(void)sum;
	if (c->explain)
		explain_usage(&c->alloc_end);
	err = read_rss(c, k, &c->rss_after_alloc_kb, &c->rss_anon_after_alloc_kb);
	if (err)
		return err;
	if (c->explain && c->glibc)
		explain_heap(&c->heap_after_alloc);
	/* The free phase starts after our own readings. */
	if (c->explain)
		explain_usage(&c->free_start);
	return 0;
}

void records_put_heap(struct line *l, const struct heap_state *h, const char *phase)
{
	line_put_kv2(l, "heap_", phase, h->heap_kb);
	line_put_kv2(l, "heap_free_", phase, h->heap_free_kb);
	line_put_kv2(l, "mmapped_", phase, h->mmapped_kb);
	line_put_kv2(l, "top_releasable_", phase, h->top_releasable_kb);
}

void records_put_usage(struct line *l, const char *phase, const struct usage *from, const struct usage *to)
{
	line_put_kv2(l, phase, "minflt", to->minflt - from->minflt);
	line_put_kv2(l, phase, "user_us", to->user_us - from->user_us);
	line_put_kv2(l, phase, "sys_us", to->sys_us - from->sys_us);
	line_put_kv2(l, phase, "wall_us", to->wall_us - from->wall_us);
}

/* Wait for one line on stdin (read(2), a static buffer), then read RSS again. */
static int pause_for_parent(struct records_ctx *c, int k)
{
	static char buf[64];
	struct line l = { .len = 0 };
	long rss, anon;
	ssize_t n;
	int err;

	line_put_str(&l, "paused");
	line_put_kv(&l, "k", k);
	line_put_kv(&l, "pid", (long)getpid());
	emit(c, &l);
	do {
		n = read(STDIN_FILENO, buf, sizeof(buf));
	} while ((n < 0 && errno == EINTR) || (n > 0 && !memchr(buf, '\n', n)));
	err = read_rss(c, k, &rss, &anon);
	if (err)
		return err;
	l.len = 0;
	line_put_str(&l, "resumed");
	line_put_kv(&l, "k", k);
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	emit(c, &l);
	return 0;
}

static int on_settled(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;
	struct line l = { .len = 0 };
	struct heap_state heap_after_free;
	long rss_after_free_kb, rss_anon_after_free_kb;
	int err;

	if (c->explain)
		explain_usage(&c->free_end);
	err = read_rss(c, k, &rss_after_free_kb, &rss_anon_after_free_kb);
	if (err)
		return err;
	if (c->explain && c->glibc)
		explain_heap(&heap_after_free);
	/* Everything of the round is measured: now the parent may act. */
	if (k == c->pause_after_round && (err = pause_for_parent(c, k)))
		return err;
	line_put_str(&l, "round");
	line_put_kv(&l, "k", k);
	line_put_kv(&l, "bytes", (long)sum);
	line_put_kv(&l, "rss_after_alloc_kb", c->rss_after_alloc_kb);
	line_put_kv(&l, "rss_after_free_kb", rss_after_free_kb);
	line_put_kv(&l, "rss_anon_after_alloc_kb", c->rss_anon_after_alloc_kb);
	line_put_kv(&l, "rss_anon_after_free_kb", rss_anon_after_free_kb);
	if (c->churn)
		line_put_kv(&l, "live_after_free_kb", (long)(churn_live_bytes() / 1024));
	if (c->explain) {
		records_put_usage(&l, "alloc_", &c->round_start, &c->alloc_end);
		records_put_usage(&l, "free_", &c->free_start, &c->free_end);
		if (c->glibc) {
			line_put_kv(&l, "mmap_allocs", c->mmap_allocs);
			line_put_kv(&l, "freed_mmapped_max", (long)c->freed_mmapped_max);
			records_put_heap(&l, &c->heap_after_alloc, "after_alloc_kb");
			records_put_heap(&l, &heap_after_free, "after_free_kb");
		}
	}
	emit(c, &l);
	c->rounds++;
	return 0;
}

static void on_malloc_failed(void *ctx, int k, int i, unsigned long size)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "malloc-failed");
	line_put_kv(&l, "k", k);
	line_put_kv(&l, "i", i);
	line_put_kv(&l, "size", (long)size);
	emit(ctx, &l);
}

void records_put_header(struct line *l, const char *scenario, const char *host, bool trim, bool explain,
			bool glibc)
{
	line_put_str(l, "rsslab");
	line_put_kv(l, "version", RSSLAB_RECORDS_VERSION);
	line_put_kv_str(l, "scenario", scenario);
	line_put_kv_str(l, "host", host);
	line_put_kv(l, "trim", trim ? 1 : 0);
	line_put_kv_str(l, "glibc", gnu_get_libc_version());
	line_put_kv(l, "pid", (long)getpid());
	line_put_kv_str(l, "allocator", !explain ? "unknown" : glibc ? "glibc" : "other");
	line_put_kv(l, "explain", explain ? 1 : 0);
	line_put_kv_str(l, "preload", explain_preload());
}

static void emit_header(struct records_ctx *c, const struct scenario *s, const struct records_options *o)
{
	struct line l = { .len = 0 };

	records_put_header(&l, s->name, o->host, o->trim, o->explain, c->glibc);
	emit(c, &l);
}

static int emit_base(struct records_ctx *c)
{
	struct line l = { .len = 0 };
	long rss, anon;
	int err = read_rss(c, -1, &rss, &anon);

	if (err)
		return err;
	line_put_str(&l, "base");
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	emit(c, &l);
	return 0;
}

bool records_malloc_info(const char *path)
{
	FILE *fp = fopen(path, "w");
	bool ok = fp && malloc_info(0, fp) == 0;

	if (fp && fclose(fp) != 0)
		ok = false;
	return ok;
}

/* After the measured rounds, so its stdio allocations cannot disturb them. */
static void emit_malloc_info(struct records_ctx *c, const char *path)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "malloc-info");
	line_put_kv_str(&l, "status", records_malloc_info(path) ? "written" : "failed");
	emit(c, &l);
}

int records_run(const struct scenario *s, const struct records_options *o)
{
	struct records_ctx c = { .fd = o->fd, .explain = o->explain, .pause_after_round = o->pause_after_round,
				 .churn = s->churn != NULL };
	struct reporter r = {
		.allocated = on_allocated,
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
	ret = emit_base(&c);
	if (ret == RSSLAB_EXIT_OK)
		ret = scenario_run(s, o->trim, &r);
	if (ret == RSSLAB_EXIT_OK && o->malloc_info_path && c.glibc)
		emit_malloc_info(&c, o->malloc_info_path);
	if (ret == RSSLAB_EXIT_OK) {
		struct line l = { .len = 0 };

		line_put_str(&l, "done");
		line_put_kv(&l, "rounds", c.rounds);
		emit(&c, &l);
	}
	return c.failed ? RSSLAB_EXIT_OUTPUT_FAILED : ret;
}
