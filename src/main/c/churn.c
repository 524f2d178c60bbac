/*
 * The parametric scenario "churn" (see churn.h).
 *
 * Compiled like scenario.c with -fno-builtin-malloc -fno-builtin-free: every
 * malloc, free and page touch must reach the allocator. The bookkeeping (the
 * blocks of a round, the sealed and the leaked ones) lives in one anonymous
 * mapping made before the first round, never in the heap being measured.
 *
 * With threads > 1 the threads run in lock step: all allocate, then the
 * calling thread alone reads the process (the reporter's hooks), then all
 * free, then the calling thread alone measures again. A reading therefore
 * sees every thread at the same point of its round, and the hooks, which are
 * not thread-safe, run on one thread while the others wait at a barrier.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>		/* frexp and ldexp only: libc has them, libm is not linked */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "churn.h"
#include "exit_codes.h"
#include "scenario.h"

#define PAGE 4096UL

/* ---- parsing, without the heap ---------------------------------------- */

bool churn_is(const char *name)
{
	return strncmp(name, CHURN_PREFIX, strlen(CHURN_PREFIX)) == 0;
}

/* A whole unsigned decimal in [lo, hi] spanning [s, end). */
static bool parse_ulong(const char *s, const char *end, unsigned long lo, unsigned long hi, unsigned long *out)
{
	unsigned long v = 0;

	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (ULONG_MAX - 9) / 10)
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
	}
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* A fraction 0..1 written as "1", "0", or "0." and up to six digits: parts per million. */
static bool parse_fraction(const char *s, const char *end, long *ppm)
{
	long v = 0, scale = CHURN_PPM;

	if (end - s == 1 && (*s == '0' || *s == '1')) {
		*ppm = *s == '1' ? CHURN_PPM : 0;
		return true;
	}
	if (end - s < 3 || end - s > 8 || s[0] != '0' || s[1] != '.')
		return false;
	for (s += 2; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		scale /= 10;
		v += (*s - '0') * scale;
	}
	*ppm = v;
	return true;
}

/* Whether [s, end) is the word w. */
static bool is_word(const char *s, const char *end, const char *w)
{
	size_t n = strlen(w);

	return (size_t)(end - s) == n && memcmp(s, w, n) == 0;
}

/* One KEY=VALUE; NULL or what is wrong. seen: a bit per key, so that each comes once. */
static const char *parse_pair(const char *key, const char *eq, const char *end, struct churn *c, unsigned *seen)
{
	static const char *const keys[] = {
		"rounds", "first_round", "allocs", "threads", "dist", "size", "pages", "min", "max",
		"jitter_pages", "shape", "step", "leak", "free", "seal_every", "touch", "seed",
	};
	const char *v = eq + 1;
	unsigned long u;
	unsigned n;

	for (n = 0; n < sizeof(keys) / sizeof(keys[0]); n++)
		if (is_word(key, eq, keys[n]))
			break;
	if (n == sizeof(keys) / sizeof(keys[0]))
		return "unknown churn parameter";
	if (*seen & (1u << n))
		return "a churn parameter is given twice";
	*seen |= 1u << n;
	switch (n) {
	case 0: if (!parse_ulong(v, end, 1, CHURN_MAX_ROUNDS, &u)) return "bad rounds"; c->rounds = (int)u; break;
	case 1: if (!parse_ulong(v, end, 0, 1000000, &u)) return "bad first_round"; c->first_round = (int)u; break;
	case 2: if (!parse_ulong(v, end, 1, CHURN_MAX_ALLOCS, &u)) return "bad allocs"; c->allocs = (int)u; break;
	case 3: if (!parse_ulong(v, end, 1, CHURN_MAX_THREADS, &u)) return "bad threads"; c->threads = (int)u; break;
	case 4:
		if (is_word(v, end, "fixed")) c->dist = CHURN_FIXED;
		else if (is_word(v, end, "article")) c->dist = CHURN_ARTICLE;
		else if (is_word(v, end, "uniform")) c->dist = CHURN_UNIFORM;
		else if (is_word(v, end, "loguniform")) c->dist = CHURN_LOGUNIFORM;
		else return "bad dist";
		break;
	case 5: if (!parse_ulong(v, end, 0, 1UL << 40, &c->size)) return "bad size"; break;
	case 6: if (!parse_ulong(v, end, 1, 1UL << 28, &c->pages)) return "bad pages"; break;
	case 7: if (!parse_ulong(v, end, 1, 1UL << 40, &c->min)) return "bad min"; break;
	case 8: if (!parse_ulong(v, end, 1, 1UL << 40, &c->max)) return "bad max"; break;
	case 9: if (!parse_ulong(v, end, 0, 1UL << 28, &c->jitter_pages)) return "bad jitter_pages"; break;
	case 10:
		if (is_word(v, end, "saw")) c->shape = CHURN_SAW;
		else if (is_word(v, end, "leak")) c->shape = CHURN_LEAK;
		else if (is_word(v, end, "rising")) c->shape = CHURN_RISING;
		else return "bad shape";
		break;
	case 11: if (!parse_ulong(v, end, 0, 1UL << 32, &c->step)) return "bad step"; break;
	case 12: if (!parse_fraction(v, end, &c->leak_ppm)) return "bad leak"; break;
	case 13:
		if (is_word(v, end, "in-order")) c->order = CHURN_IN_ORDER;
		else if (is_word(v, end, "reverse")) c->order = CHURN_REVERSE;
		else if (is_word(v, end, "shuffled")) c->order = CHURN_SHUFFLED;
		else return "bad free";
		break;
	case 14: if (!parse_ulong(v, end, 0, CHURN_MAX_ALLOCS, &u)) return "bad seal_every"; c->seal_every = (int)u; break;
	case 15: if (!parse_fraction(v, end, &c->touch_ppm)) return "bad touch"; break;
	case 16: if (!parse_ulong(v, end, 0, UINT32_MAX, &u)) return "bad seed"; c->seed = (unsigned)u; break;
	}
	return NULL;
}

const char *churn_parse(const char *text, struct churn *c)
{
	const char *p, *label, *why;
	unsigned seen = 0;

	*c = (struct churn){ .rounds = 20, .first_round = 1, .allocs = 64, .threads = 1, .dist = CHURN_FIXED,
			     .size = 1UL << 20, .pages = 8192, .shape = CHURN_SAW, .order = CHURN_IN_ORDER,
			     .touch_ppm = CHURN_PPM };
	if (!churn_is(text))
		return "not a churn scenario";
	label = text + strlen(CHURN_PREFIX);
	for (p = label; *p && *p != ':'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return "a churn label is lower-case letters, digits, - and _";
	if (p == label || *p != ':')
		return "churn:LABEL:KEY=VALUE,... expected";
	for (p++; *p; ) {
		const char *end = strchr(p, ',');
		const char *eq;

		if (!end)
			end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(end - p));
		if (!eq || eq == p)
			return "churn parameters are KEY=VALUE separated by commas";
		if ((why = parse_pair(p, eq, end, c, &seen)))
			return why;
		p = *end ? end + 1 : end;
	}
	if ((c->dist == CHURN_UNIFORM || c->dist == CHURN_LOGUNIFORM) && (!c->min || !c->max || c->min > c->max))
		return "min and max must be given, with min <= max";
	return NULL;
}

/* ---- one thread's loop -------------------------------------------------- */

struct worker {
	const struct churn *c;
	double ln_min, ln_max;	/* the log-uniform draw's bounds, taken once, not per block */
	struct random_data rd;
	char rstate[128];	/* the size of glibc's default state: TYPE_3, as srandom() uses */
	char **blocks;		/* this round's blocks */
	unsigned long *sizes;
	char **tofree;		/* in the order they will be freed: last round's sealed, then this round's */
	long nfree;
	char **sealed;		/* sealed this round, freed in the next */
	unsigned long *sealed_sizes;	/* touched bytes, for churn_live_bytes */
	long nsealed;
	char **carried;		/* sealed last round */
	unsigned long *carried_sizes;
	long ncarried;
	long *index;		/* a permutation for the free order */
	long nleaked;
	unsigned long leaked_bytes;	/* the touched bytes of the leaked blocks */
	unsigned long sum;	/* bytes allocated this round */
	int failed_i;		/* -1, or the allocation that returned NULL */
	unsigned long failed_size;
};

struct shared {
	const struct scenario *s;
	const struct churn *c;
	bool trim;
	const struct reporter *r;
	pthread_barrier_t barrier;
	int stop;		/* written by thread 0 before a barrier, read by all after it */
};

static struct worker workers[CHURN_MAX_THREADS];

static long rnd(struct worker *w)
{
	int32_t v;

	random_r(&w->rd, &v);
	return v;
}

/*
 * Natural logarithm and exponential for the log-uniform draw. The probe does
 * not link libm: its mapped pages (about 300 kB here) would count in every RSS
 * figure that is set beside the article's program, which links only libc.
 * frexp and ldexp are libc's. Both series are summed until a term no longer
 * changes the sum, so the results agree with libm's to the last bit or two,
 * which a whole byte count cannot show but at a rare rounding edge.
 */
static double ln_of(double x)
{
	int e;
	double m = frexp(x, &e), t, t2, term, sum, prev = -1;	/* x = m * 2^e, m in [0.5, 1) */

	if (m < 0.70710678118654752) {	/* m in [sqrt(1/2), sqrt(2)): |t| <= 0.172 */
		m *= 2;
		e--;
	}
	t = (m - 1) / (m + 1);	/* ln m = 2 atanh t = 2 (t + t^3/3 + t^5/5 + ...) */
	t2 = t * t;
	term = t;
	sum = 0;
	for (int n = 1; sum != prev; n += 2) {
		prev = sum;
		sum += term / n;
		term *= t2;
	}
	return 2 * sum + e * 0.69314718055994530942;
}

static double exp_of(double y)
{
	int n = (int)(y / 0.69314718055994530942 + (y < 0 ? -0.5 : 0.5));
	double r = y - n * 0.69314718055994530942, term = 1, sum = 0, prev = -1;	/* |r| <= ln2 / 2 */

	for (int i = 1; sum != prev; i++) {
		prev = sum;
		sum += term;
		term *= r / i;
	}
	return ldexp(sum, n);
}

/* A block's size: the distribution, then the rising step, then the article's page jitter. */
static unsigned long draw(struct worker *w, int k, int i)
{
	const struct churn *c = w->c;
	long s = 0;

	switch (c->dist) {
	case CHURN_FIXED:
		s = (long)c->size;
		break;
	case CHURN_ARTICLE:
		s = (rnd(w) % (long)c->pages) * (long)PAGE;
		break;
	case CHURN_UNIFORM: {
		unsigned long span = c->max - c->min + 1, v = (unsigned long)rnd(w);

		if (span > (1UL << 31))
			v = (v << 31) | (unsigned long)rnd(w);
		s = (long)(c->min + v % span);
		break;
	}
	case CHURN_LOGUNIFORM: {
		double u = (double)rnd(w) / 2147483648.0;

		s = (long)exp_of(w->ln_min + u * (w->ln_max - w->ln_min));
		break;
	}
	}
	if (c->shape == CHURN_RISING)
		s += (long)c->step * (k + i);
	if (c->jitter_pages)
		s -= (rnd(w) % (long)c->jitter_pages) * (long)PAGE;
	return s < 0 ? 0 : (unsigned long)s;
}

/* Whether block i of a round is never freed: leak_ppm of them, spread evenly. */
static bool leaks(const struct churn *c, int i)
{
	return c->shape == CHURN_LEAK && ((long)(i + 1) * c->leak_ppm) / CHURN_PPM > ((long)i * c->leak_ppm) / CHURN_PPM;
}

static bool seals(const struct churn *c, int i)
{
	return c->seal_every > 0 && i % c->seal_every == c->seal_every - 1;
}

/* The bytes of a block that the loop writes to: its first touch_ppm, rounded up to whole pages. */
static unsigned long touch_limit(const struct churn *c, unsigned long size)
{
	return c->touch_ppm == CHURN_PPM ? size : (size * (unsigned long)c->touch_ppm + CHURN_PPM - 1) / CHURN_PPM;
}

/* What of a live block is resident because the loop wrote it: the pages it touched (no more than the block). */
static unsigned long touched_bytes(const struct churn *c, unsigned long size)
{
	unsigned long pages = (touch_limit(c, size) + PAGE - 1) / PAGE;

	return pages * PAGE < size ? pages * PAGE : size;
}

/* Allocate and touch the round's blocks, as the article's loop does; then choose what the free phase frees. */
static void worker_alloc(struct worker *w, int k)
{
	const struct churn *c = w->c;
	long n = 0, i;

	w->sum = 0;
	w->failed_i = -1;
	for (i = 0; i < c->allocs; i++) {
		unsigned long size = draw(w, k, (int)i), limit, j;
		char *cp = malloc(size);

		if (!cp) {
			w->failed_i = (int)i;
			w->failed_size = size;
			return;
		}
		limit = touch_limit(c, size);
		for (j = 0; j < limit; j += PAGE)
			cp[j] = 1;
		w->sum += size;
		w->blocks[i] = cp;
		w->sizes[i] = size;
	}
	/* Which of this round's blocks are freed, and in which order. */
	for (i = 0; i < c->allocs; i++)
		if (!leaks(c, (int)i) && !seals(c, (int)i))
			w->index[n++] = i;
	if (c->order == CHURN_REVERSE) {
		for (i = 0; i < n / 2; i++) {
			long t = w->index[i];
			w->index[i] = w->index[n - 1 - i];
			w->index[n - 1 - i] = t;
		}
	} else if (c->order == CHURN_SHUFFLED) {
		for (i = n - 1; i > 0; i--) {	/* Fisher-Yates */
			long j = rnd(w) % (i + 1), t = w->index[i];
			w->index[i] = w->index[j];
			w->index[j] = t;
		}
	}
	w->nfree = 0;
	for (i = 0; i < w->ncarried; i++)
		w->tofree[w->nfree++] = w->carried[i];
	for (i = 0; i < n; i++)
		w->tofree[w->nfree++] = w->blocks[w->index[i]];
}

/* Free what worker_alloc chose; the sealed blocks are carried into the next round, the leaked kept. */
static void worker_free(struct worker *w)
{
	const struct churn *c = w->c;
	long i;

	for (i = 0; i < w->nfree; i++)
		free(w->tofree[i]);
	w->nsealed = 0;
	for (i = 0; i < c->allocs; i++) {
		if (leaks(c, (int)i)) {
			w->nleaked++;	/* never freed: its pointer need not be kept */
			w->leaked_bytes += touched_bytes(c, w->sizes[i]);
		} else if (seals(c, (int)i)) {
			w->sealed[w->nsealed] = w->blocks[i];
			w->sealed_sizes[w->nsealed++] = touched_bytes(c, w->sizes[i]);
		}
	}
	/* This round's sealed become the next round's carried: swap the two arrays. */
	{
		char **p = w->carried;
		unsigned long *s = w->carried_sizes;

		w->carried = w->sealed;
		w->carried_sizes = w->sealed_sizes;
		w->ncarried = w->nsealed;
		w->sealed = p;
		w->sealed_sizes = s;
	}
}

/* ---- the rounds, in lock step ------------------------------------------ */

#define CALL(r, hook, ...) ((r)->hook ? (r)->hook((r)->ctx, __VA_ARGS__) : 0)

static void sync_all(struct shared *sh)
{
	if (sh->c->threads > 1)
		pthread_barrier_wait(&sh->barrier);
}

/* What thread 0 does once every thread has allocated: the hooks, in the article's order. */
static void after_alloc(struct shared *sh, int k)
{
	const struct reporter *r = sh->r;
	unsigned long sum = 0;
	int t, i, n;

	for (t = 0; t < sh->c->threads; t++) {
		struct worker *w = &workers[t];

		if (w->failed_i >= 0) {
			if (r->malloc_failed)
				r->malloc_failed(r->ctx, k, t * sh->c->allocs + w->failed_i, w->failed_size);
			sh->stop = RSSLAB_EXIT_MALLOC_FAILED;
			return;
		}
		sum += w->sum;
	}
	for (t = 0; r->malloced && t < sh->c->threads; t++)
		for (i = 0; i < sh->c->allocs; i++)
			r->malloced(r->ctx, k, t * sh->c->allocs + i, workers[t].blocks[i]);
	if ((sh->stop = CALL(r, allocated, k, sum)))
		return;
	for (t = 0, n = 0; r->freeing && t < sh->c->threads; t++)
		for (i = 0; i < workers[t].nfree; i++)
			r->freeing(r->ctx, k, n++, workers[t].tofree[i]);
}

/* What thread 0 does once every thread has freed. */
static void after_free(struct shared *sh, int k)
{
	const struct reporter *r = sh->r;
	unsigned long sum = 0;
	int t;

	for (t = 0; t < sh->c->threads; t++)
		sum += workers[t].sum;
	if ((sh->stop = CALL(r, freed, k, sum)))
		return;
	if (sh->trim)
		malloc_trim(0);
	sh->stop = CALL(r, settled, k, sum);
}

static void loop(struct shared *sh, int t)
{
	struct worker *w = &workers[t];
	int k;

	for (k = sh->s->first_round; k <= sh->s->last_round; k++) {
		if (t == 0 && !sh->stop)
			sh->stop = CALL(sh->r, round_started, k);
		sync_all(sh);
		if (sh->stop)
			break;
		worker_alloc(w, k);
		sync_all(sh);
		if (t == 0)
			after_alloc(sh, k);
		sync_all(sh);
		if (sh->stop)
			break;
		worker_free(w);
		sync_all(sh);
		if (t == 0)
			after_free(sh, k);
	}
}

/*
 * The workers wait at a gate until every one of them exists: the barrier
 * counts them all, so a thread that could not be created must release the
 * others rather than leave them at a barrier for ever.
 */
static struct shared *the_shared;
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate;		/* 0 wait, 1 go, -1 give up */

static void *thread_main(void *arg)
{
	int g;

	pthread_mutex_lock(&gate_lock);
	while ((g = gate) == 0)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
	if (g > 0)
		loop(the_shared, (int)(intptr_t)arg);
	return NULL;
}

static void open_gate(int g)
{
	pthread_mutex_lock(&gate_lock);
	gate = g;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

/* Each worker's arrays, carved from one mapping; NULL when it cannot be made. */
static void *map_workers(const struct churn *c, size_t *len)
{
	/* blocks, sizes, tofree (2x), sealed + sizes, carried + sizes, index */
	long per = (long)c->allocs * 9;
	char *m;
	int t;

	if (per > CHURN_MAX_POINTERS)
		return NULL;
	*len = (size_t)per * sizeof(long) * (size_t)c->threads;
	m = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	for (t = 0; t < c->threads; t++) {
		struct worker *w = &workers[t];
		long *base = (long *)(m + (size_t)t * (size_t)per * sizeof(long));

		/* Zeroed: random_r needs a zeroed random_data before initstate_r (glibc's manual). */
		memset(w, 0, sizeof(*w));
		w->c = c;
		if (c->dist == CHURN_LOGUNIFORM) {	/* the only draw with min and max checked to be >= 1 */
			w->ln_min = ln_of((double)c->min);
			w->ln_max = ln_of((double)c->max);
		}
		w->blocks = (char **)base;
		w->sizes = (unsigned long *)(base + c->allocs);
		w->tofree = (char **)(base + 2L * c->allocs);
		w->sealed = (char **)(base + 4L * c->allocs);
		w->sealed_sizes = (unsigned long *)(base + 5L * c->allocs);
		w->carried = (char **)(base + 6L * c->allocs);
		w->carried_sizes = (unsigned long *)(base + 7L * c->allocs);
		w->index = base + 8L * c->allocs;
		initstate_r(c->seed + (unsigned)t, w->rstate, sizeof(w->rstate), &w->rd);
	}
	return m;
}

static int live_threads;

int churn_run(const struct scenario *s, const struct churn *c, bool trim, const struct reporter *r)
{
	struct shared sh = { .s = s, .c = c, .trim = trim, .r = r };
	pthread_t tids[CHURN_MAX_THREADS];
	size_t len;
	void *m;
	int t, started = 1;

	if (c->threads < 1 || c->threads > CHURN_MAX_THREADS || c->allocs < 1)
		return RSSLAB_EXIT_SCENARIO_INVALID;
	m = map_workers(c, &len);
	if (!m)
		return RSSLAB_EXIT_SCENARIO_INVALID;
	the_shared = &sh;
	live_threads = c->threads;
	gate = 0;
	if (c->threads > 1 && pthread_barrier_init(&sh.barrier, NULL, (unsigned)c->threads) != 0) {
		munmap(m, len);
		return RSSLAB_EXIT_SCENARIO_INVALID;
	}
	for (t = 1; t < c->threads; t++) {
		if (pthread_create(&tids[t], NULL, thread_main, (void *)(intptr_t)t) != 0)
			break;
		started++;
	}
	if (started < c->threads) {
		open_gate(-1);
		sh.stop = RSSLAB_EXIT_SCENARIO_INVALID;
	} else {
		open_gate(1);
		loop(&sh, 0);
	}
	for (t = 1; t < started; t++)
		pthread_join(tids[t], NULL);
	if (c->threads > 1)
		pthread_barrier_destroy(&sh.barrier);
	/*
	 * The bookkeeping stays mapped: churn_live_bytes reads it after the last
	 * round, and the process ends soon after. The live blocks stay too.
	 */
	return sh.stop;
}

unsigned long churn_live_bytes(void)
{
	unsigned long live = 0;
	int t;

	for (t = 0; t < live_threads; t++) {
		struct worker *w = &workers[t];
		long i;

		for (i = 0; i < w->ncarried; i++)
			live += w->carried_sizes[i];
		live += w->leaked_bytes;
	}
	return live;
}
