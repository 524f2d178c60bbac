/*
 * Structured records for the Java side: one line per event, a tag then
 * tab-separated key=value fields, written with write(2) from a stack buffer
 * (line.h), so that reporting a round never calls malloc.
 *
 *   rsslab         version=3 scenario= host= trim=0|1 glibc= pid= allocator=glibc|other|unknown explain=0|1
 *                  preload=none|loaded|missing   (LD_PRELOAD as the child really has it: explain.h)
 *   base           rss_kb= rss_anon_kb=
 *   paused         k= pid=          (with pause_after_round = k, once round k's frees are measured
 *                                   and before its record: the child waits for a line on stdin,
 *                                   so the parent can act on it)
 *   resumed        k= rss_kb= rss_anon_kb=   (VmRSS and RssAnon once the parent has acted)
 *   round          k= bytes= rss_after_alloc_kb= rss_after_free_kb=
 *                  rss_anon_after_alloc_kb= rss_anon_after_free_kb= [explain fields]
 *   malloc-failed  k= i= size=
 *   error          k= source=/proc/self/status field=VmRSS|RssAnon|file   (a reading failed; the
 *                                   child stops with RSSLAB_EXIT_PROC_FAILED; k=-1 before round one)
 *   malloc-info    status=written|failed
 *   done           rounds=
 *
 * The paused/resumed pair comes before round k's record so that the parent
 * has the whole round, pause included, when the record arrives.
 *
 * Explain fields (with explain=1): the phase costs alloc_|free_ minflt, user_us, sys_us, wall_us; under glibc's
 * malloc only: mmap_allocs, freed_mmapped_max (the largest mmapped chunk freed
 * that may raise the dynamic threshold, bytes), and mallinfo2 as
 * heap_, heap_free_, mmapped_, top_releasable_ + after_alloc_kb|after_free_kb.
 */
#ifndef RSSLAB_RECORDS_H
#define RSSLAB_RECORDS_H

#include <stdbool.h>

#include "explain.h"
#include "line.h"
#include "scenario.h"

#define RSSLAB_RECORDS_VERSION 3

struct records_options {
	bool trim;
	bool explain;		/* the per-round explain fields */
	const char *host;	/* "native", "thread", "jvm" */
	const char *malloc_info_path;	/* malloc_info() XML after the rounds, or NULL */
	int pause_after_round;	/* the round after which to wait for the parent; -1 for none */
	int fd;
};

/*
 * Run s and write its records. Returns scenario_run's result,
 * RSSLAB_EXIT_PROC_FAILED after an "error" record, or
 * RSSLAB_EXIT_OUTPUT_FAILED if a record could not be written.
 */
int records_run(const struct scenario *s, const struct records_options *o);

/*
 * The pieces of these records that a replayed trace (replay.c) writes too:
 * the header line's fields, mallinfo2's four figures for a phase
 * ("after_alloc_kb"), the rusage of a phase ("alloc_"), and malloc_info()'s
 * XML into path (false when it could not be written).
 */
void records_put_header(struct line *l, const char *scenario, const char *host, bool trim, bool explain,
			bool glibc);
void records_put_heap(struct line *l, const struct heap_state *h, const char *phase);
void records_put_usage(struct line *l, const char *phase, const struct usage *from, const struct usage *to);
bool records_malloc_info(const char *path);

#endif
