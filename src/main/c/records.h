/*
 * Structured records for the Java side: one tab-separated line per event,
 * written with write(2) from a stack buffer, so that reporting a round
 * never calls malloc (stdio would allocate its buffer on first use).
 *
 * Lines (fields separated by one tab):
 *   rsslab  1  <scenario>  <host>  <trim 0|1>  <glibc version>  <pid>
 *   base    <VmRSS kB before the first round>
 *   round   <k>  <bytes allocated>  <VmRSS kB after allocating>  <VmRSS kB after free/trim>
 *   malloc-failed  <k>  <i>  <size>
 *   done    <rounds>
 */
#ifndef RSSLAB_RECORDS_H
#define RSSLAB_RECORDS_H

#include <stdbool.h>

#include "scenario.h"

#define RSSLAB_RECORDS_VERSION 1

/*
 * Run s and write its records to fd. host names the process hosting the
 * loop ("native", "jvm"). Returns scenario_run's result, or 3 if the
 * records could not be written.
 */
int records_run(const struct scenario *s, bool trim, const char *host, int fd);

#endif
