/*
 * Both trace formats, one owner (mirrored in trace/TraceFile.java, RawTrace.java
 * and TraceEvent.java; TraceFormatTest reads this header and checks them).
 *
 * The trace file that rsslab record writes and the replayer reads:
 *
 *   "RSSLABTR", u32 TRACE_VERSION, u32 n, n bytes of UTF-8 "key=value" lines,
 *   (version 4:) u64 s, s bytes of the stack table (per stack: u32 id, u32 depth,
 *   depth u64 return addresses, innermost first; ids 1, 2, ... in order),
 *   struct trace_record* in seq order, then one record of op TRACE_END.
 *   Version 4's header names the images (image.N=lo-hi bias build-id path) so
 *   that addresses can be resolved on another machine.
 *   Version 5 (what rsslab record writes): the same header and stack table,
 *   then the records, END last, compact and compressed: zstd frames (with
 *   their checksums) to the file's end, whose content is per record seven
 *   unsigned LEB128 varints (at most TRACE_VARINT_MAX bytes each; z(x) below is
 *   zigzag, (x << 1) ^ (x >> 63), of a 64-bit difference):
 *     op | flags << TRACE_FLAGS_SHIFT, thread,
 *     z(seq - the previous record's seq), z(time_ns - the previous record's),
 *     ptr: a call's (trace_op_is_call) z(ptr - the previous call's ptr in the
 *          same thread), any other record's ptr itself,
 *     size,
 *     aux: TRACE_REALLOC's z(aux - ptr), any other's aux itself
 *   (every "previous" 0 before the first record). Versions 2 to 4 still read.
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
 *   stack  = u32 BLOCK_MAGIC, u32 TRACE_STACK_THREAD, u32 id, u32 depth,
 *            depth u64 return addresses (one of the stack table, written
 *            before any record that names it)
 *   images = u32 BLOCK_MAGIC, u32 TRACE_IMAGES_THREAD, u32 bytes, u32 0, then
 *            bytes of entries: u64 bias (l_addr), u64 lo, u64 hi (the
 *            executable PT_LOAD range, in memory), u32 name length, u32
 *            build-id length, the name, the build id, zeros to 8 bytes
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
#define TRACE_VERSION 5		/* 2: TRACE_RSS records; 3: TRACE_EXIT_BEGIN, TRACE_ARENA; 4: the stack table,
				 * TRACE_STACK, images; 5: compact records, zstd; 1 to 4 still replay */
#define TRACE_RECORDS_VERSION 4	/* the last version whose body is struct trace_record as it is */
#define TRACE_FLAGS_SHIFT 4	/* version 5: a record's first varint is op | flags << this */
#define TRACE_VARINT_MAX 10	/* version 5: bytes of a 64-bit LEB128 varint at most */
#define TRACE_END 0		/* the op of the trace file's last record */
#define TRACE_END_ALL_WRITTEN 1u	/* END's flags: the process ended through exit() or execve, or was a fork */

#define TRACE_RAW_MAGIC "RSSLABRW"
#define TRACE_RAW_VERSION 4	/* 2: TRACE_RSS records; 3: TRACE_EXIT_BEGIN, TRACE_ARENA; 4: stacks, images */
#define TRACE_BLOCK_MAGIC 0x4b4c4252u	/* "RBLK" */
#define TRACE_END_THREAD 0xffffffffu
#define TRACE_STACK_THREAD 0xfffffffeu
#define TRACE_IMAGES_THREAD 0xfffffffdu
#define TRACE_STACK_DEPTH 16	/* return addresses kept per stack at most */
/* --stacks large: calls asking this much or more (DEFAULT_MMAP_THRESHOLD_MIN, malloc.c), and mmapped frees */
#define TRACE_STACK_LARGE_BYTES (128u * 1024)
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
	TRACE_STACK = 14,	/* no call: the call just before it in the same thread, with the same seq, was
				 * made from stack aux of the stack table */
};

#define TRACE_OP_LAST TRACE_STACK

/* A record of a call (or a thread's end), not a sample or a mark the recorder added. */
static inline int trace_op_is_call(unsigned op)
{
	return op != TRACE_RSS && op != TRACE_EXIT_BEGIN && op != TRACE_ARENA && op != TRACE_STACK;
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
