/*
 * The benchmark's bare program: the article's example 1 loop (data/reference/article-1.c) with no
 * instrumentation but what the comparison needs: VmRSS read before the first round and after each
 * round's frees with one pread(2) into a static buffer (no stdio, no malloc), printed after the last
 * round ("base KB", then "K KB" per round). Same flags as the probe's
 * loop (-O2 -fno-builtin-malloc -fno-builtin-free), so both make the same calls.
 *   bare-article-1 [ROUNDS]    (default 20, the article's)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char status[4096];

static long vmrss_kb(int fd)
{
	ssize_t n = pread(fd, status, sizeof(status) - 1, 0);
	char *p;

	if (n <= 0)
		return -1;
	status[n] = '\0';
	p = strstr(status, "VmRSS:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

int main(int argc, char *argv[])
{
	static char *buf[256];
	static long rss[20];
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	int fd = open("/proc/self/status", O_RDONLY);
	int i, j, k;

	if (fd < 0 || rounds < 1 || rounds > 20)
		return 2;
	long base = vmrss_kb(fd);

	srand(0);
	for (k = 0; k < rounds; k++) {
		for (i = 0; i < 256; i++) {
			unsigned int size = (random() % 8192) * 4096;
			char *cp = malloc(size);

			if (!cp)
				return 1;
			for (j = 0; j < (int)size; j += 4096)
				cp[j] = 1;
			buf[i] = cp;
		}
		for (i = 0; i < 256; i++)
			free(buf[i]);
		rss[k] = vmrss_kb(fd);
	}
	printf("base %ld\n", base);
	for (k = 0; k < rounds; k++)
		printf("%d %ld\n", k, rss[k]);
	return 0;
}
