/*
 * A process holding a known malloc pattern, for rsslab inspect's tests.
 * It sets the pattern up, prints "ready PID" and waits on its stdin: a line
 * "trim" calls malloc_trim(0) and prints "trimmed RSS_BEFORE_KB RSS_AFTER_KB";
 * end of input exits. Reports go through write(2) from static buffers, so
 * nothing but the pattern touches the heap.
 *
 *   holder article4   the article's example 4: 63 MiB free at the main heap's top
 *   holder bins       the main heap: 20 MiB free in the bins below a live block, 30 MiB at the top
 *   holder threads    two threads, each: 16 MiB free in its arena's bins below a live block,
 *                     30 MiB free at its thread heap's top
 *   holder many N B   N blocks of B bytes in the main heap, every other one freed (N chunks,
 *                     N * B bytes: the speed benchmark's target)
 */
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char line[256];

static long rss_kb(void)
{
	static char buf[4096];
	FILE *f;
	char *p;
	size_t n;

	/* fopen allocates: only ever called between the pattern and the trim, equally before and after. */
	f = fopen("/proc/self/status", "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strstr(buf, "VmRSS:");
	return p ? atol(p + 6) : -1;
}

static void say(const char *text)
{
	if (write(STDOUT_FILENO, text, strlen(text)) < 0)
		_exit(3);
}

/* Through a volatile pointer: a store to memory freed unread may otherwise be dropped by the compiler. */
static void touch(char *p, size_t n)
{
	volatile char *v = p;

	for (size_t i = 0; i < n; i += 4096)
		v[i] = 1;
}

static char *block(size_t n)
{
	char *p = malloc(n);

	if (!p)
		_exit(4);
	touch(p, n);
	return p;
}

static void article4(void)
{
	char *buf[3];

	srand(0);
	for (int k = 28; k <= 32; k++) {
		for (int i = 0; i < 3; i++)
			buf[i] = block((size_t)(k + i) * 1048576 - (random() % 16) * 4096);
		for (int i = 0; i < 3; i++)
			free(buf[i]);
	}
}

/*
 * free_below MiB free in the bins under a live block, then top_mib MiB freed
 * into the top. Blocks up to 32 MiB come from the heaps (no mmap), and
 * nothing is trimmed until asked.
 */
static void bins_and_top(size_t free_below, size_t top_mib)
{
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	char *below = block(free_below << 20);
	char *live = block(1 << 20);
	char *top = block(top_mib << 20);

	(void)live;
	free(top);
	free(below);
}

static void *thread_pattern(void *arg)
{
	(void)arg;
	bins_and_top(16, 30);
	return NULL;
}

int main(int argc, char **argv)
{
	static char out[128];
	pthread_t t[2];

	if (argc > 1 && strcmp(argv[1], "article4") == 0) {
		/* glibc's defaults, as the article's program: the dynamic threshold does the rest. */
		article4();
	} else if (argc > 1 && strcmp(argv[1], "bins") == 0) {
		bins_and_top(20, 30);
	} else if (argc > 3 && strcmp(argv[1], "many") == 0) {
		long n = atol(argv[2]);
		size_t b = (size_t)atol(argv[3]);
		/* The pointers are one more chunk of the heap. */
		char **p;

		mallopt(M_MMAP_THRESHOLD, 32 << 20);
		mallopt(M_TRIM_THRESHOLD, 1 << 30);
		p = malloc(n * sizeof(char *));
		if (!p)
			return 4;
		for (long i = 0; i < n; i++)
			p[i] = block(b);
		for (long i = 0; i < n; i += 2)
			free(p[i]);
	} else if (argc > 1 && strcmp(argv[1], "threads") == 0) {
		for (int i = 0; i < 2; i++)
			if (pthread_create(&t[i], NULL, thread_pattern, NULL) != 0)
				return 2;
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
	} else {
		say("usage: holder article4|bins|threads\n");
		return 2;
	}
	snprintf(out, sizeof(out), "ready %ld\n", (long)getpid());
	say(out);
	for (;;) {
		ssize_t n = read(STDIN_FILENO, line, sizeof(line) - 1);

		if (n <= 0)
			return 0;
		line[n] = '\0';
		if (strncmp(line, "trim", 4) == 0) {
			long before = rss_kb(), after;

			malloc_trim(0);
			after = rss_kb();
			snprintf(out, sizeof(out), "trimmed %ld %ld\n", before, after);
			say(out);
		}
	}
}
