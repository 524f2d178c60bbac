/*
 * A target for bench/inspect.py: THREADS threads (each its own arena; thread 0 is the main thread, the
 * main arena) allocate CHUNKS chunks of SIZE bytes between them, every page written, free every other one
 * (so the bins hold half of them), print "ready PID" and wait for a line on stdin.
 *   holder CHUNKS SIZE THREADS
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long chunks, size;
static int threads;

static void *fill(void *arg)
{
	long n = chunks / threads, i;
	char **p = calloc((size_t)n, sizeof(char *));

	(void)arg;
	if (!p)
		exit(1);
	for (i = 0; i < n; i++) {
		if (!(p[i] = malloc((size_t)size)))
			exit(1);
		memset(p[i], 1, (size_t)size);
	}
	for (i = 0; i < n; i += 2)
		free(p[i]);
	return p;
}

int main(int argc, char *argv[])
{
	pthread_t t[64];
	char line[16];
	int i;

	if (argc != 4)
		return 2;
	chunks = atol(argv[1]);
	size = atol(argv[2]);
	threads = atoi(argv[3]);
	if (chunks < 1 || size < 1 || threads < 1 || threads > 64)
		return 2;
	for (i = 1; i < threads; i++)
		pthread_create(&t[i], NULL, fill, NULL);
	fill(NULL);
	for (i = 1; i < threads; i++)
		pthread_join(t[i], NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	return fgets(line, sizeof(line), stdin) ? 0 : 0;
}
