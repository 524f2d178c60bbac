/*
 * rsslab-probe --replay TRACE: a recorded program's malloc calls made again
 * in this process (replay.c). Writes on fd, one line each, tab-separated
 * key=value: "base" (VmRSS before the first call), "sample" every
 * sample_every calls and a final one (VmRSS, RssAnon, the live bytes the
 * program had requested, mallinfo2's counters), "end" (how the trace ended,
 * what was skipped), or "bad" (record number and reason) for a trace it
 * cannot replay, or "malloc_failed".
 */
#ifndef RSSLAB_REPLAY_H
#define RSSLAB_REPLAY_H

#include <stdbool.h>

/*
 * one_thread: every call on one thread (--threads 1); thread_host: that
 * thread, or recorded thread 0, is a new thread rather than the main one
 * (--thread, as the thread host of the scenarios). Returns an exit_codes.h code.
 */
int replay_main(const char *path, bool one_thread, bool thread_host, long sample_every, int fd);

#endif
