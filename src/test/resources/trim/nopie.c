/*
 * A non-PIE program that takes malloc's address, as Debian's node does: its
 * executable then holds a canonical PLT entry for malloc (an undefined symbol
 * with an address), and &malloc anywhere in the process is that entry. It
 * mallocs 20,000 blocks of 1,000 bytes, frees 49 of every 50 (about 19 MiB of
 * free pages in the bins, below live blocks: malloc_trim's to return), then
 * sleeps ARGV[1] seconds.
 */
#include <stdlib.h>
#include <unistd.h>

void *(*volatile allocate)(size_t);

int main(int argc, char **argv)
{
	enum { N = 20000 };
	static char *p[N];

	allocate = malloc;	/* in code, not data: the link needs malloc's address itself */
	for (int i = 0; i < N; i++) {
		p[i] = allocate(1000);
		p[i][0] = 1;
	}
	for (int i = 0; i < N; i++)
		if (i % 50)
			free(p[i]);
	sleep(argc > 1 ? (unsigned)atoi(argv[1]) : 3);
	return 0;
}
