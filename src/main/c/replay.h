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
 * (--thread, as the thread host of the scenarios); timing_recorded: the
 * program's idle gaps slept, over speed (--timing recorded, --speed).
 */
struct replay_options {
	bool one_thread;
	bool thread_host;
	bool timing_recorded;
	double speed;
	long sample_every;
};

/* Returns an exit_codes.h code. */
int replay_main(const char *path, const struct replay_options *o, int fd);

/* A scenario named "trace:PATH" is the trace at PATH, replayed in rounds (replay_rounds). */
#define REPLAY_SCENARIO_PREFIX "trace:"
/* Rounds a trace is cut into (fewer when it has fewer calls): io.rsslab.plan.TraceScenario.ROUNDS. */
#define REPLAY_ROUNDS 20

/*
 * The trace of scenario name ("trace:PATH") as a scenario of matrix: its calls
 * cut into REPLAY_ROUNDS rounds of equal numbers of calls, the records of
 * records.h on fd (header, base, one "round" per round, "done"): "after the
 * allocations" where the round's live bytes peak, "after the frees" at its
 * end, after malloc_trim(0) with trim; live_after_free_kb says what the
 * program still held then; malloc_info's XML into malloc_info_path (or NULL). thread_host: recorded thread 0 on a new thread.
 */
int replay_rounds(const char *name, bool thread_host, bool trim, bool explain, const char *malloc_info_path, int fd);

#endif
