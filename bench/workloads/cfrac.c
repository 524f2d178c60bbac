/*
 * cfrac-like (after mimalloc-bench's bench/cfrac, D. Dunn's continued-fraction factoring
 * with its own bignum package, run there as `cfrac 17545186520507317056371138836327483792789528`):
 * one thread, nearly every allocation a small bignum (16-80 bytes) that lives for a few
 * operations; a slowly growing set of kept numbers (cfrac's factor base and partial relations).
 *   cfrac [STEPS=2000000]    calls: about 2 * 3 * STEPS
 */
#include <stdio.h>
#include "common.h"

#define KEEP 20000

int main(int argc, char **argv)
{
	long steps = argc > 1 ? atol(argv[1]) : 2000000;
	static char *kept[KEEP];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	long nkept = 0;

	if (steps < 1) {
		fprintf(stderr, "usage: cfrac [STEPS]\n");
		return 2;
	}
	for (long i = 0; i < steps; i++) {
		/* a step: operands and a result, the operands freed at once (pcfrac's pfree of temporaries) */
		char *a = block(16 + 8 * (next(&x) % 9)), *b = block(16 + 8 * (next(&x) % 9));
		char *r = block(16 + 8 * (next(&x) % 9));

		free(b);
		free(a);
		if (next(&x) % 200 == 0) {
			long k = nkept < KEEP ? nkept++ : (long)(next(&x) % KEEP);

			free(kept[k]);	/* a full set: an old relation replaced */
			kept[k] = r;
		} else {
			free(r);
		}
	}
	for (long k = 0; k < nkept; k++)
		free(kept[k]);
	return 0;
}
