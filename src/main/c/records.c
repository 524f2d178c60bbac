#include <gnu/libc-version.h>
#include <string.h>
#include <unistd.h>

#include "line.h"
#include "procfs.h"
#include "records.h"

struct records_ctx {
	int fd;
	int failed;		/* a write failed: stop writing, report at the end */
	long rss_after_alloc_kb;
	int rounds;
};

static void emit(struct records_ctx *c, struct line *l)
{
	if (!c->failed && line_write(l, c->fd))
		c->failed = 1;
}

static void on_allocated(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;

	(void)k;
	(void)sum;
	c->rss_after_alloc_kb = procfs_vm_rss_kb();
}

static void on_freed(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	(void)k;
	(void)sum;
}

static void on_settled(void *ctx, int k, unsigned long sum)
{
	struct records_ctx *c = ctx;
	long rss_after_free_kb = procfs_vm_rss_kb();
	struct line l = { .len = 0 };

	line_put_str(&l, "round");
	line_put_tab_num(&l, k);
	line_put_tab_num(&l, (long)sum);
	line_put_tab_num(&l, c->rss_after_alloc_kb);
	line_put_tab_num(&l, rss_after_free_kb);
	emit(c, &l);
	c->rounds++;
}

static void on_malloc_failed(void *ctx, int k, int i, unsigned int size)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "malloc-failed");
	line_put_tab_num(&l, k);
	line_put_tab_num(&l, i);
	line_put_tab_num(&l, (long)size);
	emit(ctx, &l);
}

static void emit_header(struct records_ctx *c, const struct scenario *s,
			bool trim, const char *host)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "rsslab");
	line_put_tab_num(&l, RSSLAB_RECORDS_VERSION);
	line_put_str(&l, "\t");
	line_put_str(&l, s->name);
	line_put_str(&l, "\t");
	line_put_str(&l, host);
	line_put_tab_num(&l, trim ? 1 : 0);
	line_put_str(&l, "\t");
	line_put_str(&l, gnu_get_libc_version());
	line_put_tab_num(&l, (long)getpid());
	emit(c, &l);
}

static void emit_single(struct records_ctx *c, const char *tag, long v)
{
	struct line l = { .len = 0 };

	line_put_str(&l, tag);
	line_put_tab_num(&l, v);
	emit(c, &l);
}

int records_run(const struct scenario *s, bool trim, const char *host, int fd)
{
	struct records_ctx c = { .fd = fd };
	struct reporter r = {
		.allocated = on_allocated,
		.freed = on_freed,
		.settled = on_settled,
		.malloc_failed = on_malloc_failed,
		.ctx = &c,
	};
	int ret;

	emit_header(&c, s, trim, host);
	emit_single(&c, "base", procfs_vm_rss_kb());
	ret = scenario_run(s, trim, &r);
	if (ret == 0)
		emit_single(&c, "done", c.rounds);
	return c.failed ? 3 : ret;
}
