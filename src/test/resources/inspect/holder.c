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
 *   holder spill      issue 21's program: one thread mallocs 300,000 blocks of about 1000 bytes, so
 *                     that its arena fills heaps and glibc abandons them (sysmalloc's fenceposts),
 *                     and frees 49 of every 50; the old tops are steered to 48 and 32 bytes in some
 *                     heaps, so that every fencepost shape glibc writes is there
 *   holder sbrk       the main heap after a foreign sbrk: glibc's double fencepost, a gap that is
 *                     not its own, then more heap; most of it freed
 *   holder smallbins  glibc's defaults: 200,000 blocks of 200 bytes, a live one after them, all the
 *                     others freed: 40 MiB free in the bins below a live chunk, a small top
 *   holder threadtops glibc's defaults: four threads, each frees a 31 MiB block (mmapped: the
 *                     dynamic threshold rises to 31 MiB, the trim threshold to 62), keeps 1 MiB and
 *                     30 MiB, and when all four hold theirs, frees the 30 MiB into its heap's top; joined
 *   holder fastbins   200,000 blocks of 40 bytes, a live one after them, all the others freed: 7 of
 *                     them in the tcache, the rest in a fastbin (marked in use), which malloc_trim
 *                     consolidates before it trims: about 9 MiB
 *   holder pin        60 blocks of 1 MiB from the main heap, a live block of 40 bytes (a chunk of 48) after
 *                     them, the 60 freed: 60 MiB free below one live chunk; "ready PID ADDRESS" names
 *                     the live chunk's address (the block's less 16)
 * A last argument "hold" makes it hold the pattern 2 s and exit instead of reading its input
 * (for rsslab try, whose final RSS is the program's last second).
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

/*
 * Fill the thread's heaps with blocks; when a heap (HEAP_MAX_SIZE, 64 MiB) is
 * nearly full, one block sized to leave its top 48 bytes (heap 1, 4, ...: the
 * fenceposts become 32 and 0) or 32 bytes (heap 2, 5, ...: 16 and 0) before
 * the next block makes glibc abandon it.
 */
#define SPILL 300000
static void *spill(void *arg)
{
	static char *p[SPILL];
	const unsigned long heap_max = 64UL << 20;
	int heap = 0;

	(void)arg;
	for (int i = 0; i < SPILL; i++) {
		size_t n = 1000 + (size_t)(i % 3) * 8;
		char *last = i ? p[i - 1] : NULL;

		if (last) {
			unsigned long end = (unsigned long)last + malloc_usable_size(last) - 8;
			unsigned long room = ((unsigned long)last & ~(heap_max - 1)) + heap_max - end;

			if (room < 2048 && room > 64 && heap % 3) {
				/* A chunk of room - keep bytes, asked as its user size: chunk size - 8, rounded by glibc. */
				size_t keep = heap % 3 == 1 ? 48 : 32;
				p[i] = block(room - keep - 8);
				heap++;
				continue;
			}
			if (room < 2048 && room > 64)
				heap++;
		}
		p[i] = block(n);
	}
	for (int i = 0; i < SPILL; i++)
		if (i % 50)
			free(p[i]);
	return NULL;
}

/* Blocks, a foreign sbrk of an odd size (glibc's next sbrk is not where its top ends), more blocks; frees. */
static void foreign_sbrk(void)
{
	static char *p[4000];

	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	for (int i = 0; i < 4000; i++) {
		if (i == 2000 && sbrk(40000 + 8) == (void *)-1)
			_exit(4);
		p[i] = block(4000);
	}
	for (int i = 0; i < 4000; i++)
		if (i % 10)
			free(p[i]);
}

static void small_bins(void)
{
	static char *p[200000];

	for (int i = 0; i < 200000; i++)
		p[i] = block(200);
	(void)block(200);
	for (int i = 0; i < 200000; i++)
		free(p[i]);
}

static void fast_bins(void)
{
	static char *p[200000];

	mallopt(M_TRIM_THRESHOLD, 512 << 20);
	for (int i = 0; i < 200000; i++)
		p[i] = block(40);
	(void)block(40);
	/* No large malloc after these frees: it would consolidate the fastbins (_int_malloc) before inspect looks. */
	for (int i = 0; i < 200000; i++)
		free(p[i]);
}

static pthread_barrier_t all_hold;

/* The four hold their blocks at once (the barrier): no thread can reuse what another freed, whatever the arenas. */
static void *thread_top(void *arg)
{
	char *top;

	(void)arg;
	free(block(31 << 20));
	(void)block(1 << 20);
	top = block(30 << 20);
	pthread_barrier_wait(&all_hold);
	free(top);
	return NULL;
}

int main(int argc, char **argv)
{
	static char out[128];
	pthread_t t[2];
	char *named = NULL;

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
	} else if (argc > 1 && strcmp(argv[1], "spill") == 0) {
		if (pthread_create(&t[0], NULL, spill, NULL) != 0 || pthread_join(t[0], NULL) != 0)
			return 2;
	} else if (argc > 1 && strcmp(argv[1], "sbrk") == 0) {
		foreign_sbrk();
	} else if (argc > 1 && strcmp(argv[1], "smallbins") == 0) {
		small_bins();
	} else if (argc > 1 && strcmp(argv[1], "fastbins") == 0) {
		fast_bins();
	} else if (argc > 1 && strcmp(argv[1], "threadtops") == 0) {
		pthread_t four[4];

		pthread_barrier_init(&all_hold, NULL, 4);
		for (int i = 0; i < 4; i++)
			if (pthread_create(&four[i], NULL, thread_top, NULL) != 0)
				return 2;
		for (int i = 0; i < 4; i++)
			pthread_join(four[i], NULL);
	} else if (argc > 1 && strcmp(argv[1], "pin") == 0) {
		char *blocks[60], *pin;

		mallopt(M_MMAP_THRESHOLD, 32 << 20);
		mallopt(M_TRIM_THRESHOLD, 512 << 20);
		for (int i = 0; i < 60; i++)
			blocks[i] = block(1 << 20);
		pin = block(40);
		for (int i = 0; i < 60; i++)
			free(blocks[i]);
		named = pin - 16;
	} else {
		say("usage: holder article4|bins|threads|many N B|spill|sbrk|smallbins|threadtops|fastbins|pin [hold]\n");
		return 2;
	}
	if (named)
		snprintf(out, sizeof(out), "ready %ld %p\n", (long)getpid(), (void *)named);
	else
		snprintf(out, sizeof(out), "ready %ld\n", (long)getpid());
	say(out);
	if (strcmp(argv[argc - 1], "hold") == 0) {
		sleep(4); /* the periodic trimmer (trim-every-1s) backs off after a little trim: 1 s, then 2 s later */
		return 0;
	}
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
