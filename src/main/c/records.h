/*
 * Structured records for the Java side: one line per event, a tag then
 * tab-separated key=value fields, written with write(2) from a stack buffer
 * (line.h), so that reporting a round never calls malloc.
 *
 *   rsslab         version=2 scenario= host= trim=0|1 glibc= pid= allocator=glibc|other|unknown explain=0|1
 *   base           rss_kb= rss_anon_kb=
 *   round          k= bytes= rss_after_alloc_kb= rss_after_free_kb=
 *                  rss_anon_after_alloc_kb= rss_anon_after_free_kb= [explain fields]
 *   malloc-failed  k= i= size=
 *   paused         k= pid=          (after round k's record, with pause_after_round = k: the
 *                                   child waits for a line on stdin, so the parent can act on it)
 *   resumed        k= rss_kb= rss_anon_kb=   (VmRSS and RssAnon once the parent has acted)
 *   malloc-info    status=written|failed
 *   done           rounds=
 *
 * Explain fields (with explain=1): the phase costs alloc_|free_ minflt, user_us, sys_us, wall_us; under glibc's
 * malloc only: mmap_allocs, freed_mmapped_max (the largest mmapped chunk freed
 * that may raise the dynamic threshold, bytes), and mallinfo2 as
 * heap_, heap_free_, mmapped_, top_releasable_ + after_alloc_kb|after_free_kb.
 */
#ifndef RSSLAB_RECORDS_H
#define RSSLAB_RECORDS_H

#include <stdbool.h>

#include "scenario.h"

#define RSSLAB_RECORDS_VERSION 2

struct records_options {
	bool trim;
	bool explain;		/* the per-round explain fields */
	const char *host;	/* "native", "jvm" */
	const char *malloc_info_path;	/* malloc_info() XML after the rounds, or NULL */
	int pause_after_round;	/* the round after which to wait for the parent; -1 for none */
	int fd;
};

/*
 * Run s and write its records. Returns scenario_run's result, or 3 if the
 * records could not be written.
 */
int records_run(const struct scenario *s, const struct records_options *o);

#endif
