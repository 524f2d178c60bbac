/*
 * rsslab-probe --call: a function of glibc's malloc called inside a running
 * process (inject.h says what and how). Every rule that can refuse is checked
 * before the first thread is stopped, except the arena locks and the threads'
 * places, which mean something only while every thread stands still.
 *
 * The kernel's rules this relies on (arch/x86/kernel/signal.c,
 * arch_do_signal_or_restart): a ptrace stop happens inside get_signal(); when
 * it returns with no signal to deliver, a syscall is restarted only if
 * orig_ax >= 0 and ax is one of the -ERESTART* codes. So the call runs with
 * orig_rax = -1 (nothing is restarted under it), and the registers restored
 * at the SIGSEGV stop that ends it bring back the syscall's own orig_rax and
 * ax: the interrupted syscall restarts (or returns its own result) as it would
 * have after any stop. A synchronous SIGSEGV that is blocked or ignored makes
 * the kernel reset its handler to SIG_DFL (force_sig_info_to_task), so the
 * call's mask leaves SIGSEGV open and a target that ignores SIGSEGV is refused.
 */
#include "inject.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"

#if defined(__x86_64__)

#define MAX_THREADS 4096
#define MAX_MUTEXES 1024
#define XSTATE_BYTES 16384

struct thread {
	pid_t tid;
	bool stopped;
	int pending; /* a signal caught in signal-delivery-stop, delivered at the detach */
	struct user_regs_struct regs;
};

static struct thread threads[MAX_THREADS];
static int nthreads;
static long pid;
static uint64_t mutexes[MAX_MUTEXES];
static int nmutexes;
/* --ring ADDR:NEXT: main_arena, and the offset of next in struct malloc_state (the arenas' ring). */
static uint64_t ring, ring_next;
/* The target's libc: its path in maps, its load bias, its text. */
static char libc_path[4096];
static uint64_t libc_bias, text_lo[8], text_hi[8];
static int ntext;
static char line_buf[1 << 16];

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* rsslab may be gone (EPIPE, SIGPIPE ignored): the target is restored all the same. */
	if (n > 0 && write(STDOUT_FILENO, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1) < 0)
		return;
}

static int refuse(const char *rule, const char *why)
{
	say("refused %s: %s\n", rule, why);
	return RSSLAB_EXIT_REFUSED;
}

static int fail(const char *why)
{
	say("error: %s\n", why);
	return RSSLAB_EXIT_USAGE;
}

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void nap_us(long us)
{
	struct timespec t = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* A whole small /proc file into line_buf; its length, or -1. */
static ssize_t slurp(const char *path)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, line_buf + got, sizeof(line_buf) - 1 - (size_t)got)) > 0)
		got += n;
	close(fd);
	line_buf[got] = '\0';
	return got;
}

/* A "Key:\tvalue" field of /proc/PID/status, or NULL. */
static const char *status_field(const char *key)
{
	static char value[256];
	char path[64];
	const char *p;
	size_t k = strlen(key);

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if (slurp(path) < 0)
		return NULL;
	for (p = line_buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, k) == 0 && p[k] == ':') {
			size_t n = strcspn(p + k + 1, "\n");
			const char *v = p + k + 1;

			while (*v == '\t' || *v == ' ')
				v++, n--;
			if (n >= sizeof(value))
				n = sizeof(value) - 1;
			memcpy(value, v, n);
			value[n] = '\0';
			return value;
		}
	}
	return NULL;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && strcmp(s + a - b, tail) == 0;
}

static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strcmp(base, "libc.so.6") == 0 || (strncmp(base, "libc-2.", 7) == 0 && ends_with(base, ".so"));
}

/*
 * /proc/PID/maps: libc's path, load bias (the mapping at file offset 0) and
 * executable ranges; whether another allocator is mapped. 0, or a refusal.
 */
static int read_maps(const char **other)
{
	char path[64];
	char *p, *nl;

	*other = NULL;
	snprintf(path, sizeof(path), "/proc/%ld/maps", pid);
	if (slurp(path) < 0)
		return -1;
	for (p = line_buf; *p; p = nl + 1) {
		uint64_t lo, hi, off;
		char perms[8];
		int name_at = 0;

		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (sscanf(p, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*s %n", &lo, &hi, perms, &off, &name_at) < 4 ||
		    !name_at)
			continue;
		const char *name = p + name_at;

		if (strstr(name, "jemalloc") || strstr(name, "tcmalloc") || strstr(name, "mimalloc"))
			*other = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		if (!is_libc(name))
			continue;
		if (!libc_path[0] || strcmp(libc_path, name) == 0) {
			if (!libc_path[0] || off == 0) {
				snprintf(libc_path, sizeof(libc_path), "%s", name);
				if (off == 0)
					libc_bias = lo;
			}
			if (perms[2] == 'x' && ntext < 8) {
				text_lo[ntext] = lo;
				text_hi[ntext++] = hi;
			}
		}
	}
	return 0;
}

/* The ELF file at path mapped read-only (never malloc'd); its size in *len, or NULL. */
static const unsigned char *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *m;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		close(fd);
		return NULL;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return m;
}

/*
 * A symbol's value in a mapped ELF's .dynsym (defined ones only; 0 when
 * absent). The first PT_LOAD's vaddr is subtracted so that bias + value is
 * the address in the target.
 */
static uint64_t dynsym(const unsigned char *f, size_t len, const char *name, bool *is_x86_64)
{
	const Elf64_Ehdr *eh = (const void *)f;
	const Elf64_Shdr *sh;
	uint64_t first_load = 0;

	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) {
		*is_x86_64 = false;
		return 0;
	}
	*is_x86_64 = eh->e_machine == EM_X86_64;
	if (eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len || eh->e_phoff > len)
		return 0;
	for (int i = 0; i < eh->e_phnum && eh->e_phoff + (i + 1) * sizeof(Elf64_Phdr) <= len; i++) {
		const Elf64_Phdr *ph = (const void *)(f + eh->e_phoff + i * sizeof(Elf64_Phdr));

		if (ph->p_type == PT_LOAD) {
			first_load = ph->p_vaddr - ph->p_offset;
			break;
		}
	}
	sh = (const void *)(f + eh->e_shoff);
	for (int i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
			continue;
		const Elf64_Shdr *str = &sh[sh[i].sh_link];

		if (sh[i].sh_offset + sh[i].sh_size > len || str->sh_offset + str->sh_size > len)
			return 0;
		const Elf64_Sym *sym = (const void *)(f + sh[i].sh_offset);

		for (size_t j = 0; j < sh[i].sh_size / sizeof(Elf64_Sym); j++) {
			if (sym[j].st_name >= str->sh_size || sym[j].st_shndx == SHN_UNDEF || !sym[j].st_value)
				continue;
			if (strncmp((const char *)f + str->sh_offset + sym[j].st_name, name,
				    str->sh_size - sym[j].st_name) == 0)
				return sym[j].st_value - first_load;
		}
	}
	return 0;
}

/* The target's libc file: through map_files (the very file mapped), else through its root. */
static const unsigned char *map_libc(size_t *len)
{
	char path[4200];
	const unsigned char *f;
	char maps[64];
	char *p, *nl;

	snprintf(maps, sizeof(maps), "/proc/%ld/maps", pid);
	if (slurp(maps) >= 0) {
		for (p = line_buf; *p && (nl = strchr(p, '\n')); p = nl + 1) {
			uint64_t lo, hi, off;

			*nl = '\0';
			if (sscanf(p, "%" SCNx64 "-%" SCNx64 " %*s %" SCNx64, &lo, &hi, &off) == 3 && off == 0 &&
			    lo == libc_bias) {
				snprintf(path, sizeof(path), "/proc/%ld/map_files/%" PRIx64 "-%" PRIx64, pid, lo, hi);
				if ((f = map_file(path, len)))
					return f;
				break;
			}
		}
	}
	snprintf(path, sizeof(path), "/proc/%ld/root%s", pid, libc_path);
	return map_file(path, len);
}

static int wait_stop(pid_t tid, int *status, long deadline_us)
{
	for (;;) {
		pid_t r = waitpid(tid, status, __WALL | WNOHANG);

		if (r == tid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
		if (now_us() > deadline_us)
			return 1;
		nap_us(200);
	}
}

static void detach_all(void)
{
	for (int i = 0; i < nthreads; i++) {
		if (threads[i].tid)
			ptrace(PTRACE_DETACH, threads[i].tid, NULL, (void *)(long)threads[i].pending);
		threads[i].tid = 0;
	}
	nthreads = 0;
}

static bool known(pid_t tid)
{
	for (int i = 0; i < nthreads; i++)
		if (threads[i].tid == tid)
			return true;
	return false;
}

/*
 * Every thread seized and interrupted, until a pass over /proc/PID/task finds
 * no new one (a stopped thread creates none). 0, or a refusal/failure line
 * already said and every thread let go.
 */
static int stop_all(void)
{
	char path[64];
	bool found;

	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	do {
		DIR *d = opendir(path);
		struct dirent *e;

		found = false;
		if (!d) {
			detach_all();
			return fail("the process is gone");
		}
		while ((e = readdir(d))) {
			pid_t tid = (pid_t)atol(e->d_name);
			int st;

			if (tid <= 0 || known(tid))
				continue;
			if (nthreads == MAX_THREADS) {
				closedir(d);
				detach_all();
				return refuse("threads", "more than 4096 threads");
			}
			found = true;
			if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0) {
				int err = errno;

				if (err == ESRCH)
					continue; /* the thread ended */
				closedir(d);
				detach_all();
				if (err == EPERM)
					return refuse("permission", "ptrace is not permitted: rsslab needs root or "
							  "CAP_SYS_PTRACE, or kernel.yama.ptrace_scope 0 for a process of its user");
				return fail(strerror(err));
			}
			threads[nthreads++] = (struct thread){ .tid = tid };
			ptrace(PTRACE_INTERRUPT, tid, NULL, NULL);
			int w = wait_stop(tid, &st, now_us() + 2000000);

			if (w == 1) {
				closedir(d);
				detach_all();
				return refuse("unstoppable", "a thread did not stop within 2 s (uninterruptible sleep)");
			}
			if (w < 0 || !WIFSTOPPED(st)) {
				threads[--nthreads].tid = 0; /* it ended meanwhile */
				continue;
			}
			struct thread *t = &threads[nthreads - 1];
			int sig = WSTOPSIG(st);

			if ((st >> 16) == PTRACE_EVENT_STOP && sig != SIGTRAP) {
				/* A group stop arrived meanwhile: the process is stopped by someone; left so. */
				closedir(d);
				detach_all();
				return refuse("stopped", "the process was stopped (SIGSTOP) while rsslab stopped it; left stopped");
			}
			if ((st >> 16) == 0)
				t->pending = sig; /* signal-delivery-stop: that signal is delivered at the detach */
			t->stopped = true;
			if (ptrace(PTRACE_GETREGS, tid, NULL, &t->regs) < 0) {
				closedir(d);
				detach_all();
				return fail("cannot read a thread's registers");
			}
		}
		closedir(d);
	} while (found);
	return 0;
}

static bool in_libc_text(uint64_t ip)
{
	for (int i = 0; i < ntext; i++)
		if (ip >= text_lo[i] && ip < text_hi[i])
			return true;
	return false;
}

/* A syscall glibc's malloc makes from inside itself (sysmalloc, systrim, heap growth, mtrim). */
static bool malloc_syscall(long nr)
{
	return nr == SYS_brk || nr == SYS_mmap || nr == SYS_munmap || nr == SYS_madvise || nr == SYS_mprotect ||
	       nr == SYS_mremap;
}

/*
 * Whether a thread may be inside malloc without a lock: in libc's text and
 * not blocked in a syscall, or in one of malloc's own syscalls. A
 * single-threaded process takes no arena lock at all (malloc.c
 * __libc_malloc, _int_free: SINGLE_THREAD_P), so there this is the only
 * guard; with threads the locks are, and this picks the thread to call on.
 */
static bool maybe_in_malloc(const struct thread *t)
{
	long nr = (long)t->regs.orig_rax;

	if (nr >= 0)
		return malloc_syscall(nr);
	return in_libc_text(t->regs.rip);
}

static int read_mem(uint64_t addr, void *buf, size_t len)
{
	char path[64];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%ld/mem", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/*
 * With every thread stopped: whether the call may go on now. The index of the
 * thread to call on, -1 when a lock is held or a thread may be inside malloc.
 */
static int pick_thread(bool single_threaded, const char **why)
{
	int pick = -1;

	for (int i = 0; i < nmutexes; i++) {
		int word;

		/* __libc_lock_lock (lowlevellock): 0 free, 1 held, 2 held with waiters. */
		if (read_mem(mutexes[i], &word, sizeof(word)) < 0) {
			*why = "an arena's mutex could not be read";
			return -2;
		}
		if (word != 0) {
			*why = "an arena's lock is held";
			return -1;
		}
	}
	/* The ring main_arena -> next -> ... -> main_arena (malloc.c: each arena's mutex is its first word). */
	uint64_t a = ring;

	for (int n = 0; ring && n < MAX_MUTEXES; n++) {
		int word;

		if (read_mem(a, &word, sizeof(word)) < 0 || read_mem(a + ring_next, &a, sizeof(a)) < 0) {
			*why = "the arenas' ring could not be read";
			return -2;
		}
		if (word != 0) {
			*why = "an arena's lock is held";
			return -1;
		}
		if (a == ring)
			break;
	}
	for (int i = 0; i < nthreads; i++) {
		bool busy = maybe_in_malloc(&threads[i]);

		if (single_threaded && busy) {
			*why = "its only thread may be inside malloc";
			return -1;
		}
		if (!busy && !threads[i].pending && (pick < 0 || threads[i].tid == pid))
			pick = i;
	}
	if (pick < 0)
		*why = "every thread is inside libc";
	return pick;
}

static int poke(pid_t tid, uint64_t addr, uint64_t value)
{
	return ptrace(PTRACE_POKEDATA, tid, (void *)addr, (void *)value) < 0 ? -1 : 0;
}

/*
 * How long the call runs with every other thread stopped. The locks were
 * free when checked, so it should never wait; should it wait all the same (a
 * lock this model does not know of, held by a stopped thread), the others are
 * let go so that the holder can release it, and the call finishes as any
 * concurrent call would: a deadlock is never left in place.
 */
#define CALL_ALONE_US 500000L
static bool released_others;

static void release_others(const struct thread *keep)
{
	for (int i = 0; i < nthreads; i++) {
		if (&threads[i] != keep && threads[i].tid) {
			ptrace(PTRACE_DETACH, threads[i].tid, NULL, (void *)(long)threads[i].pending);
			threads[i].tid = 0;
		}
	}
	released_others = true;
}

/*
 * The call on thread t: its registers, extended state and signal mask saved;
 * every signal but SIGSEGV blocked for the call (those that arrive stay
 * pending and are delivered once the mask is back); the stack 16-byte aligned
 * at the call, 256 bytes below the 128-byte red zone, a return address of 0.
 * The result in *result; 0, or -1 when the target died under the call.
 */
static int call_on(struct thread *t, uint64_t fn, uint64_t a0, uint64_t a1, long *result)
{
	static unsigned char xstate[XSTATE_BYTES];
	struct iovec xs = { xstate, sizeof(xstate) };
	struct user_regs_struct r = t->regs;
	uint64_t saved_mask, call_mask = ~(1ULL << (SIGSEGV - 1)), old_word = 0;
	uint64_t sp = ((t->regs.rsp - 128 - 256) & ~15ULL) - 8;
	bool have_xstate = ptrace(PTRACE_GETREGSET, t->tid, (void *)NT_X86_XSTATE, &xs) == 0;
	int st;

	if (!have_xstate)
		return -2;
	if (ptrace(PTRACE_GETSIGMASK, t->tid, (void *)sizeof(saved_mask), &saved_mask) < 0)
		return -2;
	errno = 0;
	old_word = (uint64_t)ptrace(PTRACE_PEEKDATA, t->tid, (void *)sp, NULL);
	if (errno || poke(t->tid, sp, 0) < 0)
		return -2;
	r.rip = fn;
	r.rdi = a0;
	r.rsi = a1;
	r.rsp = sp;
	r.rax = 0;
	r.orig_rax = (uint64_t)-1;
	if (ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof(call_mask), &call_mask) < 0 ||
	    ptrace(PTRACE_SETREGS, t->tid, NULL, &r) < 0 || ptrace(PTRACE_CONT, t->tid, NULL, NULL) < 0) {
		ptrace(PTRACE_SETREGS, t->tid, NULL, &t->regs);
		ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof(saved_mask), &saved_mask);
		poke(t->tid, sp, old_word);
		return -2;
	}
	long alone_until = now_us() + CALL_ALONE_US;

	for (;;) {
		pid_t w = waitpid(t->tid, &st, __WALL | WNOHANG);

		if (w < 0 && errno != EINTR)
			return -1;
		if (w <= 0) {
			if (!released_others && now_us() > alone_until)
				release_others(t);
			nap_us(100);
			continue;
		}
		if (!WIFSTOPPED(st))
			return -1; /* killed (SIGKILL) under the call */
		int sig = WSTOPSIG(st);

		if ((st >> 16) == 0 && sig == SIGSEGV) {
			struct user_regs_struct now;

			if (ptrace(PTRACE_GETREGS, t->tid, NULL, &now) == 0 && now.rip == 0) {
				*result = (long)now.rax;
				break;
			}
		}
		/* Another signal (SIGSTOP, or a SIGSEGV sent by someone): held, delivered after the restore. */
		if ((st >> 16) == 0 && !t->pending)
			t->pending = sig;
		ptrace(PTRACE_CONT, t->tid, NULL, NULL);
	}
	ptrace(PTRACE_SETREGS, t->tid, NULL, &t->regs);
	ptrace(PTRACE_SETREGSET, t->tid, (void *)NT_X86_XSTATE, &xs);
	ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof(saved_mask), &saved_mask);
	poke(t->tid, sp, old_word);
	return 0;
}

static bool parse_long(const char *s, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 0);
	return !errno && *s && !*end;
}

int inject_main(int argc, char *argv[])
{
	long wait_ms = 3000, a0 = 0, a1 = 0, result = 0;
	bool force = false, check_only = false;
	const char *fn_name, *other, *v;
	int at = 0, attempts = 0, busy = 0;
	size_t len = 0;
	const unsigned char *libc;
	uint64_t fn, single_at;
	bool x86 = true;
	unsigned char single = 0;
	sigset_t block;

	/* rsslab's death (any signal, its terminal's hangup) must not stop this helper inside the window. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, NULL);
	(void)setsid();

	if (argc < 1 || !parse_long(argv[0], &pid) || pid < 2)
		return fail("--call needs a process id");
	for (at = 1; at < argc; at++) {
		if (strcmp(argv[at], "--mutex") == 0 && at + 1 < argc && nmutexes < MAX_MUTEXES) {
			long m;

			if (!parse_long(argv[++at], &m) || m <= 0)
				return fail("--mutex needs an address");
			mutexes[nmutexes++] = (uint64_t)m;
		} else if (strcmp(argv[at], "--ring") == 0 && at + 1 < argc) {
			char *colon = strchr(argv[++at], ':');
			long r, off;

			if (!colon)
				return fail("--ring needs ADDR:NEXT_OFFSET");
			*colon = '\0';
			if (!parse_long(argv[at], &r) || !parse_long(colon + 1, &off) || r <= 0 || off <= 0 || off > 65536)
				return fail("--ring needs ADDR:NEXT_OFFSET");
			ring = (uint64_t)r;
			ring_next = (uint64_t)off;
		} else if (strcmp(argv[at], "--wait") == 0 && at + 1 < argc) {
			if (!parse_long(argv[++at], &wait_ms) || wait_ms < 0)
				return fail("--wait needs milliseconds");
		} else if (strcmp(argv[at], "--force") == 0) {
			force = true;
		} else if (strcmp(argv[at], "--check") == 0) {
			check_only = true;
		} else {
			break;
		}
	}
	if (at + 2 == argc && strcmp(argv[at], "malloc_trim") == 0) {
		if (!parse_long(argv[at + 1], &a0) || a0 < 0)
			return fail("malloc_trim's pad must be a size");
	} else if (at + 3 == argc && strcmp(argv[at], "mallopt") == 0) {
		if (!parse_long(argv[at + 1], &a0) || !parse_long(argv[at + 2], &a1) || a0 < -100 || a0 > 0 ||
		    a1 < -2147483648L || a1 > 2147483647L)
			return fail("mallopt needs a parameter (M_*, negative) and an int value");
	} else {
		return fail("--call PID [--mutex ADDR]... [--wait MS] [--force] [--check] malloc_trim PAD | mallopt PARAM VALUE");
	}
	fn_name = argv[at];

	/* The rules that need no stop: each refuses before anything is touched. */
	v = status_field("State");
	if (!v)
		return fail("no such process");
	if (v[0] == 'Z' || v[0] == 'X')
		return refuse("zombie", "the process has exited (a zombie): nothing to call");
	{
		char state = v[0];

		v = status_field("TracerPid");
		if (v && strcmp(v, "0") != 0)
			return refuse("traced", "the process is already traced (TracerPid is not 0): a debugger holds it");
		if (state == 'T' || state == 't')
			return refuse("stopped", "the process is stopped; it is left stopped");
	}
	v = status_field("Seccomp");
	if (v && strcmp(v, "2") == 0 && !force)
		return refuse("seccomp", "the process runs under a seccomp filter that may kill the call's syscalls "
					 "(madvise, brk); --force goes on");
	v = status_field("SigIgn");
	if (v && (strtoull(v, NULL, 16) & (1ULL << (SIGSEGV - 1))))
		return refuse("sigsegv-ignored", "the process ignores SIGSEGV: the call's end would reset it");
	{
		char exe[64];
		size_t elen = 0;
		const unsigned char *e;

		snprintf(exe, sizeof(exe), "/proc/%ld/exe", pid);
		e = map_file(exe, &elen);
		if (!e)
			return refuse("permission", "its executable cannot be read: rsslab needs root or CAP_SYS_PTRACE");
		bool defines_malloc = dynsym(e, elen, "malloc", &x86) != 0;

		munmap((void *)e, elen);
		if (!x86)
			return refuse("architecture", "the process is not x86-64");
		if (read_maps(&other) < 0)
			return fail("its maps cannot be read");
		if (other)
			return refuse("allocator", other[0] ? other : "another allocator is mapped");
		if (defines_malloc)
			return refuse("allocator", "its executable has its own malloc (not glibc's)");
	}
	if (!libc_path[0])
		return refuse("static", "no glibc shared library is mapped (a static binary): no function to call");
	libc = map_libc(&len);
	if (!libc)
		return refuse("permission", "the process's libc cannot be read");
	fn = dynsym(libc, len, fn_name, &x86);
	single_at = dynsym(libc, len, "__libc_single_threaded", &x86);
	munmap((void *)libc, len);
	if (!fn || !x86)
		return refuse("symbol", "its libc exports no such function");
	fn += libc_bias;
	if (check_only) {
		say("ok\n");
		return RSSLAB_EXIT_OK;
	}

	long t_end = now_us() + wait_ms * 1000, pause = 0;

	for (;;) {
		long t0 = now_us();
		int r = stop_all();
		const char *why = "";
		int pick;

		if (r)
			return r;
		attempts++;
		/* Unknown (an older glibc without the variable): taken as single-threaded, the stricter rule. */
		single = 1;
		if (single_at && read_mem(libc_bias + single_at, &single, 1) < 0)
			single = 1;
		if (!(single && nthreads == 1) && nmutexes == 0 && !ring && !force) {
			detach_all();
			return refuse("lock", "the process has threads and no arena address was given (--mutex, --ring): its "
					      "locks cannot be checked; --force goes on without");
		}
		pick = pick_thread(single && nthreads == 1, &why);
		if (pick == -2) {
			detach_all();
			return fail(why);
		}
		if (pick >= 0) {
			r = call_on(&threads[pick], fn, (uint64_t)a0, (uint64_t)a1, &result);
			int tid = threads[pick].tid, stopped = nthreads;

			if (r == -1) {
				/* Killed under the call: nothing to restore. */
				threads[pick].tid = 0;
				detach_all();
				return fail("the process died during the call");
			}
			detach_all();
			pause += now_us() - t0;
			if (r == -2)
				return fail("the call could not be set up (registers); the process was left as it was");
			say("threads %d\nattempts %d\nbusy %d\nresult %ld\npause-us %ld\nthread %d\nreleased-others %d\n",
			    stopped, attempts, busy, result, pause, tid, released_others ? 1 : 0);
			return RSSLAB_EXIT_OK;
		}
		detach_all();
		pause += now_us() - t0;
		busy++;
		if (now_us() > t_end) {
			char text[160];

			snprintf(text, sizeof(text), "%s at each of %d attempts in %ld ms; the process was let go each time",
				 why, attempts, wait_ms);
			return refuse("busy", text);
		}
		nap_us(2000 + (attempts % 7) * 1000);
	}
}

#else

int inject_main(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	if (write(STDOUT_FILENO, "refused architecture: rsslab's injector is for x86-64 only\n", 58) < 0)
		return RSSLAB_EXIT_REFUSED;
	return RSSLAB_EXIT_REFUSED;
}

#endif
