/* What the workloads share: a xorshift64 generator (deterministic, no libc state) and a block
 * whose first and last bytes are written, as the programs they imitate write their blocks. */
#include <stdint.h>
#include <stdlib.h>

static inline uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* not inlined: gcc drops a malloc whose block is freed unread where it sees both */
__attribute__((noinline)) static char *block(size_t size)
{
	char *p = malloc(size);

	if (!p)
		exit(3);
	p[0] = p[size - 1] = 1;
	return p;
}
