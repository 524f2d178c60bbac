/*
 * The article program's own output, produced the way it produces it: stdio
 * printf to stdout and show_rss() reading /proc/self/status through a
 * static FILE. stdio allocates (the FILE, stdout's buffer) exactly as the
 * article's program does, so for the allocator a seed run is that program.
 */
#ifndef RSSLAB_SEED_OUTPUT_H
#define RSSLAB_SEED_OUTPUT_H

#include <stdbool.h>

#include "scenario.h"

/* Run s printing the article's text on stdout; scenario_run's result. */
int seed_run(const struct scenario *s, bool trim);

#endif
