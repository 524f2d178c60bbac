#ifndef RSSLAB_INJECT_H
#define RSSLAB_INJECT_H

/*
 * rsslab-probe --call PID [--ring ADDR:NEXT] [--mutex ADDR]... [--wait MS] [--force] malloc_trim PAD
 * rsslab-probe --call PID [--ring ADDR:NEXT] [--mutex ADDR]... [--wait MS] [--force] mallopt PARAM VALUE
 *
 * --ring: main_arena's address and the offset of next in struct malloc_state:
 * the ring of every arena is followed, and each one's mutex read, while every
 * thread stands still (a busy process's arenas are found so, exactly).
 *
 * Calls one of glibc's malloc functions inside a running process, as
 * `gdb -p PID -batch -ex 'call (int)malloc_trim(0)'` does, but safely:
 * every thread is stopped (PTRACE_SEIZE + PTRACE_INTERRUPT) before anything
 * is written; each arena mutex named by --mutex (the addresses inspect
 * found: main_arena, the thread arenas through their heap_info) is read and
 * the call is made only when none is held (otherwise the target is resumed
 * and tried again until --wait ms have passed, then refused); the function's
 * address is read from the target's own libc (.dynsym, through
 * /proc/PID/map_files or /proc/PID/root); one thread's registers, extended
 * state and signal mask are saved, the call runs on its stack below the red
 * zone with orig_rax = -1 (no syscall restart under the call) and returns to
 * address 0, a SIGSEGV caught under ptrace and never delivered; then
 * everything is restored (a thread interrupted in a restartable syscall
 * restarts it as it would have), signals that arrived meanwhile are
 * delivered at the detach, and every thread is let go.
 *
 * --check: only the rules that need no stop (zombie, stopped, traced,
 * seccomp, architecture, allocator, static, symbol), "ok" when none refuses;
 * nothing is stopped.
 *
 * Standard output, one "key value" line each: threads, attempts, busy (the
 * attempts that found a lock held or a thread inside malloc), result, pause-us,
 * thread, released-others (1 when the call still ran after 500 ms and the
 * other threads were let go, so that no lock held by a stopped thread could
 * deadlock it). A process with threads and no --mutex is refused (lock)
 * unless --force. A refusal is one line "refused RULE: why" and exit code
 * RSSLAB_EXIT_REFUSED; bad arguments or a failure "error: why" and
 * RSSLAB_EXIT_USAGE. SIGINT, SIGTERM, SIGHUP and SIGPIPE are ignored and the
 * helper runs in a session of its own, so that rsslab's death does not stop
 * it inside the window (no PR_SET_PDEATHSIG; PTRACE_O_EXITKILL not set).
 */
int inject_main(int argc, char *argv[]);

#endif
