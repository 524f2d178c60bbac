/*
 * Both trace formats, one owner (mirrored in trace/TraceFile.java, RawTrace.java
 * and TraceEvent.java; TraceFormatTest reads this header and checks them).
 *
 * The trace file that rsslab record writes and the replayer reads:
 *
 *   "RSSLABTR", u32 TRACE_VERSION, u32 n, n bytes of UTF-8 "key=value" lines,
 *   struct trace_record* in seq order, then one record of op TRACE_END.
 *
 * The raw trace that librsslab-record.so writes, one file per traced
 * process (RSSLAB_RECORD_DIR/PID.IMAGE.raw); rsslab record (trace/RawTrace.java)
 * merges it into the seq-ordered trace file. All fields little-endian.
 *
 *   file   = header, block*
 *   header = "RSSLABRW", u32 version, u32 pid, u32 ppid, u32 record size,
 *            u64 start (CLOCK_REALTIME, ns), u64 start (CLOCK_MONOTONIC_COARSE, ns),
 *            u32 forked (1 when the process is a fork of a traced one),
 *            u32 the timestamps' resolution (ns)
 *   block  = u32 BLOCK_MAGIC, u32 thread, u32 count, u32 0, count records
 *   end    = u32 BLOCK_MAGIC, u32 TRACE_END_THREAD, u32 how, u32 lost
 *            (written when the process exits through exit(), how = 0, or
 *            calls execve, how = 1, every buffer written first: lost counts
 *            the calls made while the recorder could not take them, e.g.
 *            from a signal handler that interrupted a malloc)
 *
 * Within one thread the records are in call order; blocks of different
 * threads interleave in the file as their buffers fill, so the global order
 * is the seq field, not the file order.
 */
#ifndef RSSLAB_TRACE_FORMAT_H
#define RSSLAB_TRACE_FORMAT_H

#include <stdint.h>

#define TRACE_MAGIC "RSSLABTR"
#define TRACE_VERSION 3		/* 2: TRACE_RSS records; 3: TRACE_EXIT_BEGIN, TRACE_ARENA; 1 and 2 still replay */
#define TRACE_END 0		/* the op of the trace file's last record */
#define TRACE_END_ALL_WRITTEN 1u	/* END's flags: the process ended through exit() or execve, or was a fork */

#define TRACE_RAW_MAGIC "RSSLABRW"
#define TRACE_RAW_VERSION 3	/* 2: TRACE_RSS records; 3: TRACE_EXIT_BEGIN, TRACE_ARENA */
#define TRACE_BLOCK_MAGIC 0x4b4c4252u	/* "RBLK" */
#define TRACE_END_THREAD 0xffffffffu
#define TRACE_END_EXIT 0u
#define TRACE_END_EXEC 1u

enum trace_op {
	TRACE_MALLOC = 1,
	TRACE_FREE = 2,
	TRACE_CALLOC = 3,
	TRACE_REALLOC = 4,	/* ptr: the new block, aux: the old one */
	TRACE_MEMALIGN = 5,	/* aux: the alignment, for this and the next four */
	TRACE_POSIX_MEMALIGN = 6,
	TRACE_ALIGNED_ALLOC = 7,
	TRACE_VALLOC = 8,
	TRACE_PVALLOC = 9,
	TRACE_THREAD_EXIT = 10,	/* the thread ended: glibc detaches it from its arena */
	TRACE_RSS = 11,		/* no call: the program's VmRSS then (size) and RssAnon (aux), bytes */
	TRACE_EXIT_BEGIN = 12,	/* no call: the program's exit began (exit() called or main returned);
				 * size and aux: its VmRSS and RssAnon then, as TRACE_RSS */
	TRACE_ARENA = 13,	/* no call: the arena of the thread's first heap block (aux: the arena's
				 * address, 0 for the main arena; chunk.h, chunk_arena) */
};

#define TRACE_OP_LAST TRACE_ARENA

/* A record of a call (or a thread's end), not a sample or a mark the recorder added. */
static inline int trace_op_is_call(unsigned op)
{
	return op != TRACE_RSS && op != TRACE_EXIT_BEGIN && op != TRACE_ARENA;
}

/* An operation that returns a block (ptr). */
static inline int trace_op_allocates(unsigned op)
{
	return op == TRACE_MALLOC || (op >= TRACE_CALLOC && op <= TRACE_PVALLOC);
}

/* The recorder's TRACE_RSS records: one at the first call, then at most one per period, and one at exit. */
#define TRACE_RSS_PERIOD_NS 10000000u

/* The call returned NULL (or an error): the replay skips it. */
#define TRACE_FLAG_FAILED 1u

struct trace_record {
	uint64_t seq;		/* global, per process, taken after an allocation returned and before a free */
	uint64_t time_ns;	/* CLOCK_MONOTONIC_COARSE, since the process's start */
	uint64_t ptr;
	uint64_t size;		/* bytes requested (calloc, reallocarray: nmemb * size, saturated) */
	uint64_t aux;
	uint32_t thread;	/* small numbers in the order threads first called malloc; 0 is the first */
	uint16_t op;
	uint16_t flags;
};

_Static_assert(sizeof(struct trace_record) == 48, "the trace record is 48 bytes");

#endif
