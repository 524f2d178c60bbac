/*
 * A program that keeps memory after freeing, for rsslab try's tests: 3 x 31 MiB
 * allocated and freed (mmapped: their frees raise glibc's dynamic thresholds),
 * then 2 x 30 MiB (now from the heap) freed into the heap's top, which stays
 * below the raised trim threshold; then a pause of two seconds and the end.
 *   keeper         the pattern
 *   keeper fork N  the pattern in this process and in N children, which end with it
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void *touched(size_t n)
{
	volatile char *p = malloc(n);

	if (!p)
		exit(4);
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 1;
	return (void *)p;
}

static void pattern(void)
{
	void *q[2];

	for (int i = 0; i < 3; i++)
		free(touched(31u << 20));
	for (int i = 0; i < 2; i++)
		q[i] = touched(30u << 20);
	for (int i = 0; i < 2; i++)
		free(q[i]);
}

int main(int argc, char **argv)
{
	int children = argc > 2 && strcmp(argv[1], "fork") == 0 ? atoi(argv[2]) : 0;

	for (int i = 0; i < children; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			pattern();
			sleep(2);
			return 0;
		}
	}
	pattern();
	sleep(2);
	while (wait(NULL) > 0)
		;
	return 0;
}
