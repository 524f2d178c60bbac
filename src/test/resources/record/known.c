/*
 * Known malloc-family calls, for rsslab record's tests: every call of the
 * family once on the main thread and a few on a second thread, each logged
 * (operation, size, result, old block) into a static table and printed to
 * the file argv[1] at the end, so that the test can find them in the trace
 * event for event. Built with gcc -O0: the compiler must not fold a call.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct entry {
	const char *op;
	int thread;
	size_t size;
	void *ptr;
	void *old;
};

static struct entry log_[64];
static int n;

static void note(const char *op, int thread, size_t size, void *ptr, void *old)
{
	log_[n++] = (struct entry){ op, thread, size, ptr, old };
}

static void *second(void *arg)
{
	void *q = malloc(777);

	(void)arg;
	note("malloc", 1, 777, q, NULL);
	q = realloc(q, 7777);
	note("realloc", 1, 7777, q, log_[n - 1].ptr);
	note("free", 1, 0, q, NULL);
	free(q);
	return NULL;
}

int main(int argc, char *argv[])
{
	void *p[8];
	void *old;
	pthread_t t;
	FILE *f;

	if (argc != 2)
		return 2;
	p[0] = malloc(100);
	note("malloc", 0, 100, p[0], NULL);
	p[1] = calloc(10, 20);
	note("calloc", 0, 200, p[1], NULL);
	old = p[1];
	p[1] = realloc(p[1], 300000);
	note("realloc", 0, 300000, p[1], old);
	if (posix_memalign(&p[2], 64, 1000))
		return 3;
	note("posix_memalign", 0, 1000, p[2], NULL);
	p[3] = aligned_alloc(4096, 8192);
	note("aligned_alloc", 0, 8192, p[3], NULL);
	p[4] = memalign(256, 500);
	note("memalign", 0, 500, p[4], NULL);
	p[5] = valloc(10000);
	note("valloc", 0, 10000, p[5], NULL);
	p[6] = pvalloc(5000);
	note("pvalloc", 0, 5000, p[6], NULL);
	p[7] = reallocarray(NULL, 3, 1000);
	note("realloc", 0, 3000, p[7], NULL);
	if (pthread_create(&t, NULL, second, NULL) || pthread_join(t, NULL))
		return 4;
	for (int i = 0; i < 8; i++) {
		note("free", 0, 0, p[i], NULL);
		free(p[i]);
	}
	f = fopen(argv[1], "w");
	if (!f)
		return 5;
	for (int i = 0; i < n; i++)
		fprintf(f, "%s %d %zu %lu %lu\n", log_[i].op, log_[i].thread, log_[i].size,
			(unsigned long)log_[i].ptr, (unsigned long)log_[i].old);
	return fclose(f) ? 6 : 0;
}
