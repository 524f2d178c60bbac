package io.rsslab.trace;

/** The operations of a trace: the numbers of src/main/c/trace_format.h's enum trace_op. */
public enum TraceOp {
    /** Not a call: the merged trace's last record (see {@link TraceFile}). */
    END(0),
    MALLOC(1),
    FREE(2),
    CALLOC(3),
    /** ptr is the new block, aux the old one. */
    REALLOC(4),
    /** aux is the alignment, for this and the next four. */
    MEMALIGN(5),
    POSIX_MEMALIGN(6),
    ALIGNED_ALLOC(7),
    VALLOC(8),
    PVALLOC(9),
    /** The thread ended: glibc detaches it from its arena. */
    THREAD_EXIT(10),
    /** Not a call: the program's VmRSS then (size) and its RssAnon (aux), in bytes (trace version 2). */
    RSS(11),
    /** Not a call: the program's exit began (exit() called or main returned); size and aux as RSS (version 3). */
    EXIT_BEGIN(12),
    /** Not a call: the arena of the thread's first heap block, aux its address, 0 the main arena (version 3). */
    ARENA(13),
    /** Not a call: the call before it (same thread, same seq) was made from stack aux of the stack table (version 4). */
    STACK(14);

    private final int code;

    TraceOp(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** By code: every record of a merge asks, and values() would copy the array each time. */
    private static final TraceOp[] BY_CODE = new TraceOp[16];

    static {
        for (TraceOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    /** null for a number that is no operation. */
    public static TraceOp of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** Does it create a block (when it did not fail)? */
    public boolean allocates() {
        return this != END && this != FREE && this != THREAD_EXIT && isCall();
    }

    /** A call (or a thread's end), not a sample or a mark the recorder added: trace_format.h's trace_op_is_call. */
    public boolean isCall() {
        return this != RSS && this != EXIT_BEGIN && this != ARENA && this != STACK;
    }
}
