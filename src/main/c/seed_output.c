#include <stdio.h>
#include <string.h>

#include "seed_output.h"

/* The article's show_rss(), verbatim. */
static void show_rss(void)
{
	static FILE *fp = NULL;
	static char buffer[4096];
	char *cp;
	unsigned long rss;
	if (!fp) {
		fp = fopen("/proc/self/status", "r");
		if (!fp)
			return;
	}
	rewind(fp);
	buffer[fread(buffer, 1, sizeof(buffer) - 1, fp)] = 0;
	cp = strstr(buffer, "VmRSS:");
	if (cp && sscanf(cp + 6, "%lu", &rss) == 1)
		printf("\tRSS: %lu KB\n", rss);
}

static int on_allocated(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	printf("%d\t+%lu KB\n", k, sum / 1024);
	show_rss();
	return 0;
}

static int on_freed(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	(void)k;
	printf("\t-%lu KB\n", sum / 1024);
	return 0;
}

static int on_settled(void *ctx, int k, unsigned long sum)
{
	(void)ctx;
	(void)k;
	(void)sum;
	show_rss();
	return 0;
}

int seed_run(const struct scenario *s, bool trim)
{
	struct reporter r = {
		.allocated = on_allocated,
		.freed = on_freed,
		.settled = on_settled,
		/* No malloc_failed: the article's program returns 1 silently. */
		.ctx = NULL,
	};

	return scenario_run(s, trim, &r);
}
