#include <errno.h>
#include <gnu/libc-version.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"
#include "records.h"

/* One record line; the longest is well under 256 bytes. */
#define LINE_MAX_LEN 512

struct line {
	char text[LINE_MAX_LEN];
	size_t len;
};

struct records_ctx {
	int fd;
	int failed;		/* a write failed: stop writing, report at the end */
	long rss_after_alloc_kb;
	int rounds;
};

static void put_str(struct line *l, const char *s)
{
	while (*s && l->len < LINE_MAX_LEN - 1)
		l->text[l->len++] = *s++;
}

/* Decimal without printf: snprintf may allocate for some conversions. */
static void put_num(struct line *l, long v)
{
	char digits[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	if (v < 0)
		put_str(l, "-");
	do {
		digits[n++] = '0' + u % 10;
		u /= 10;
	} while (u);
	while (n > 0 && l->len < LINE_MAX_LEN - 1)
		l->text[l->len++] = digits[--n];
}

static void put_tab_num(struct line *l, long v)
{
	put_str(l, "\t");
	put_num(l, v);
}

/* Write the line and a newline; retry short writes and EINTR. */
static void emit(struct records_ctx *c, struct line *l)
{
	size_t off = 0;

	l->text[l->len++] = '\n';
	while (!c->failed && off < l->len) {
		ssize_t n = write(c->fd, l->text + off, l->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			c->failed = 1;
		else
			off += n;
	}
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

	put_str(&l, "round");
	put_tab_num(&l, k);
	put_tab_num(&l, (long)sum);
	put_tab_num(&l, c->rss_after_alloc_kb);
	put_tab_num(&l, rss_after_free_kb);
	emit(c, &l);
	c->rounds++;
}

static void on_malloc_failed(void *ctx, int k, int i, unsigned int size)
{
	struct line l = { .len = 0 };

	put_str(&l, "malloc-failed");
	put_tab_num(&l, k);
	put_tab_num(&l, i);
	put_tab_num(&l, (long)size);
	emit(ctx, &l);
}

static void emit_header(struct records_ctx *c, const struct scenario *s,
			bool trim, const char *host)
{
	struct line l = { .len = 0 };

	put_str(&l, "rsslab");
	put_tab_num(&l, RSSLAB_RECORDS_VERSION);
	put_str(&l, "\t");
	put_str(&l, s->name);
	put_str(&l, "\t");
	put_str(&l, host);
	put_tab_num(&l, trim ? 1 : 0);
	put_str(&l, "\t");
	put_str(&l, gnu_get_libc_version());
	put_tab_num(&l, (long)getpid());
	emit(c, &l);
}

static void emit_single(struct records_ctx *c, const char *tag, long v)
{
	struct line l = { .len = 0 };

	put_str(&l, tag);
	put_tab_num(&l, v);
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
