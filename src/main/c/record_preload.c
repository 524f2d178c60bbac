/*
 * librsslab-record.so: preloaded into a program by `rsslab record`, it
 * writes every malloc-family call the program makes into
 * $RSSLAB_RECORD_DIR/PID.IMAGE.raw (trace_format.h) and changes nothing else.
 *
 * Why it is built this way:
 * - The real calls are glibc's exported __libc_malloc and friends, not
 *   dlsym(RTLD_NEXT): dlsym itself calls calloc, which would recurse into
 *   this file before it knew where calloc was.
 * - Nothing here allocates from the heap it records: the per-thread buffers
 *   are mmapped, the file is written with write(2), the file name is built
 *   by hand.
 * - One buffer per thread (initial-exec TLS, so reaching it never calls
 *   __tls_get_addr, which may allocate), flushed as one block per write
 *   when full; the global order is a sequence number taken after an
 *   allocation returned and before a free is made, so a block can never be
 *   freed in the trace before it was allocated.
 * - fork: the child is traced into its own file (PID.raw, marked forked),
 *   writing every call through at once, since a forked child often execs
 *   soon and exec would drop a buffer; an exec'd program starts its own file (the next IMAGE number)
 *   because RSSLAB_RECORD_DIR and LD_PRELOAD are inherited.
 * - The program's own VmRSS (TRACE_RSS records): read from /proc/self/statm
 *   into a stack buffer at the first call, then after a call at most once
 *   per TRACE_RSS_PERIOD_NS of the coarse clock (one thread wins the
 *   period), and at exit; so a replay can be compared with the program it
 *   imitates (the replay writes every page it is given, the program may not).
 * - Where exit began: exit() or main's return marks it (TRACE_EXIT_BEGIN,
 *   with the VmRSS then); each thread's first heap block names its arena
 *   (TRACE_ARENA), so the replay can say whether its threads got the same.
 * - Call sites (RSSLAB_RECORD_STACKS=large|all, rsslab record --stacks):
 *   glibc's backtrace(), which unwinds by the DWARF call frame information
 *   (libgcc's _Unwind_Backtrace), so it is right in code built without frame
 *   pointers (Debian's libc, python3). Its first call dlopens libgcc_s and
 *   allocates, so it is made once at start, outside any recorded call; after
 *   it, libgcc finds frames through _dl_find_object (glibc 2.35, lock-free)
 *   and allocates nothing. Each distinct stack is kept once in a table of
 *   mmapped memory and written once (a block of its own, before any record
 *   that names it); a call with a stack is followed by a TRACE_STACK record
 *   with its seq. The loaded images (dl_iterate_phdr: bias, executable
 *   range, name, build id read from the PT_NOTE in memory) are written at
 *   start and again when a stack leaves every image known (a dlopen).
 * - Exit: a destructor flushes every thread's buffer and writes the end
 *   block; calls after it, and calls made while the thread was already
 *   inside the recorder (a signal handler), are counted as lost. A process
 *   killed by a signal or ending in _exit() has no end block, and the
 *   merger says so.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "chunk.h"
#include "exit_hook.h"
#include "trace_format.h"

#define EXPORT __attribute__((visibility("default")))

extern void *__libc_malloc(size_t size);
extern void __libc_free(void *ptr);
extern void *__libc_calloc(size_t nmemb, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void *__libc_valloc(size_t size);
extern void *__libc_pvalloc(size_t size);

/*
 * The calls' timestamps: the coarse clock (a few ms of resolution, written
 * into the header) costs a quarter of the precise one's, which was a third
 * of the recorder's whole cost per call (bench/record-replay.sh).
 */
#define TIME_CLOCK CLOCK_MONOTONIC_COARSE

/* 64 KiB per thread: one write(2) per 1,364 calls. */
#define BUFFER_RECORDS 1364

struct block_header {
	uint32_t magic;
	uint32_t thread;
	uint32_t count;
	uint32_t lost;
};

struct buffer {
	struct buffer *next;	/* the registry, never shrinks */
	atomic_flag lock;	/* held by the owner per call, and by the exit flush */
	atomic_int owned;	/* a live thread writes here */
	uint32_t thread;
	uint32_t count;
	bool arena_noted;	/* the thread's TRACE_ARENA is written */
	struct trace_record records[BUFFER_RECORDS];
};

enum state { UNSTARTED, STARTING, TRACING, OFF };

static atomic_int state = UNSTARTED;
static int trace_fd = -1;
static bool write_through;	/* a forked child: every call written at once */
static atomic_bool closed;	/* the exit flush has run */
static atomic_uint_least64_t next_seq;
static atomic_uint next_thread;
static atomic_uint_least64_t lost;
static _Atomic(struct buffer *) registry;
static uint64_t start_ns;
static pthread_key_t exit_key;
static atomic_uint_least64_t next_rss_ns;	/* the coarse clock's time (since start) of the next RSS sample */
static long page_bytes;
static bool exit_key_ok;

enum stacks { STACKS_NONE, STACKS_LARGE, STACKS_ALL };
static int stacks = STACKS_NONE;	/* RSSLAB_RECORD_STACKS */

static __thread struct buffer *mine __attribute__((tls_model("initial-exec")));
static __thread bool inside __attribute__((tls_model("initial-exec")));

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Writes all of it or gives up (a full disk: the merger finds the trace cut short). */
static bool write_all(const struct iovec *parts, int n)
{
	struct iovec iov[2];
	ssize_t done;
	int i = 0;

	memcpy(iov, parts, sizeof(struct iovec) * (size_t)n);
	while (i < n) {
		done = writev(trace_fd, iov + i, n - i);
		if (done < 0 && errno == EINTR)
			continue;
		if (done <= 0)
			return false;
		while (i < n && (size_t)done >= iov[i].iov_len) {
			done -= (ssize_t)iov[i].iov_len;
			i++;
		}
		if (i < n) {
			iov[i].iov_base = (char *)iov[i].iov_base + done;
			iov[i].iov_len -= (size_t)done;
		}
	}
	return true;
}

static void flush_locked(struct buffer *b)
{
	struct block_header h = { TRACE_BLOCK_MAGIC, b->thread, b->count, 0 };
	struct iovec parts[2] = {
		{ &h, sizeof(h) },
		{ b->records, sizeof(struct trace_record) * b->count },
	};

	if (b->count && !write_all(parts, 2))
		atomic_store(&state, OFF);
	b->count = 0;
}

static void stacks_start(void);

static size_t put_number(char *out, unsigned long v)
{
	char digits[24];
	size_t n = 0, len = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[len++] = digits[--n];
	return len;
}

/*
 * "DIR/PID.IMAGE.raw" without snprintf, which may allocate. IMAGE counts the
 * programs one process ran: exec keeps the PID and starts a new image.
 */
static bool raw_path(char *out, size_t cap, const char *dir, pid_t pid, unsigned image)
{
	size_t len = strlen(dir);

	if (len + 64 > cap)
		return false;
	memcpy(out, dir, len);
	out[len++] = '/';
	len += put_number(out + len, (unsigned long)pid);
	out[len++] = '.';
	len += put_number(out + len, image);
	memcpy(out + len, ".raw", 5);
	return true;
}

static bool open_file(bool forked)
{
	const char *dir = getenv("RSSLAB_RECORD_DIR");
	char path[4096];
	unsigned char header[48];
	struct timespec res;
	uint32_t u32;
	uint64_t u64;

	if (!dir || dir[0] != '/')
		return false;
	for (unsigned image = 0; image < 1000; image++) {
		if (!raw_path(path, sizeof(path), dir, getpid(), image))
			return false;
		trace_fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
		if (trace_fd >= 0 || errno != EEXIST)
			break;
	}
	if (trace_fd < 0)
		return false;
	start_ns = clock_ns(TIME_CLOCK);
	page_bytes = sysconf(_SC_PAGESIZE);
	atomic_store(&next_rss_ns, 0);
	memcpy(header, TRACE_RAW_MAGIC, 8);
	u32 = TRACE_RAW_VERSION; memcpy(header + 8, &u32, 4);
	u32 = (uint32_t)getpid(); memcpy(header + 12, &u32, 4);
	u32 = (uint32_t)getppid(); memcpy(header + 16, &u32, 4);
	u32 = sizeof(struct trace_record); memcpy(header + 20, &u32, 4);
	u64 = clock_ns(CLOCK_REALTIME); memcpy(header + 24, &u64, 8);
	memcpy(header + 32, &start_ns, 8);
	u32 = forked; memcpy(header + 40, &u32, 4);
	clock_getres(TIME_CLOCK, &res);
	u32 = (uint32_t)(res.tv_sec * 1000000000L + res.tv_nsec); memcpy(header + 44, &u32, 4);
	struct iovec part = { header, sizeof(header) };
	if (!write_all(&part, 1))
		return false;
	stacks_start();
	return true;
}


/* ---- call sites: the stack table and the images ---- */

#define TABLE_SLOTS (1u << 20)			/* stacks kept at most (8 MiB of slots, touched as used) */
#define FRAMES_BYTES (256ul << 20)		/* their return addresses (reserved, touched as used) */
#define IMAGES_MAX 1024

struct slot {
	uint64_t hash;
	uint32_t id;		/* 0: empty */
	uint32_t depth;
	uint64_t at;		/* offset of its frames in frames */
};

static struct slot *table;
static uint64_t *frames;
static uint64_t frames_used;		/* u64s */
static uint32_t next_stack = 1;
static atomic_flag table_lock = ATOMIC_FLAG_INIT;
static struct { uint64_t lo, hi; } images[IMAGES_MAX];
static int image_count;
static uint64_t self_lo, self_hi;	/* this library's code: its frames are not the program's */

static void *map_zero(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The build id, from the image's PT_NOTE segments as mapped (NT_GNU_BUILD_ID). */
static size_t build_id(const struct dl_phdr_info *info, const unsigned char **id)
{
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		const unsigned char *p, *end;

		if (ph->p_type != PT_NOTE)
			continue;
		p = (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
		end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t name = (n->n_namesz + 3) & ~3u, desc = (n->n_descsz + 3) & ~3u;

			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + sizeof(*n), "GNU", 4) == 0) {
				*id = p + sizeof(*n) + name;
				return n->n_descsz;
			}
			p += sizeof(*n) + name + desc;
		}
	}
	return 0;
}

struct images_out {
	unsigned char buf[65536];
	size_t used;
};

/* One image into the images block (dl_iterate_phdr's callback): the ones not yet known. */
static int image_found(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct images_out *o = arg;
	uint64_t lo = UINT64_MAX, hi = 0, bias = info->dlpi_addr;
	const unsigned char *id = NULL;
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	static char exe[4096];	/* the program: the loader names it "" */
	ssize_t len;
	size_t idn, namen, need;
	uint32_t u32;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			lo = bias + ph->p_vaddr < lo ? bias + ph->p_vaddr : lo;
			hi = bias + ph->p_vaddr + ph->p_memsz > hi ? bias + ph->p_vaddr + ph->p_memsz : hi;
		}
	}
	if (hi == 0 || image_count == IMAGES_MAX)
		return 0;
	for (int i = 0; i < image_count; i++)
		if (images[i].lo == lo && images[i].hi == hi)
			return 0;
	if ((uintptr_t)image_found >= lo && (uintptr_t)image_found < hi) {
		self_lo = lo;
		self_hi = hi;
	}
	if (!name[0] && (len = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[len] = 0;
		name = exe;
	}
	idn = build_id(info, &id);
	namen = strlen(name);
	if (namen > 4000)
		namen = 4000;
	need = (32 + namen + idn + 7) & ~(size_t)7;
	if (o->used + need > sizeof(o->buf))
		return 0;	/* found again at the next rescan */
	images[image_count].lo = lo;
	images[image_count].hi = hi;
	image_count++;
	memset(o->buf + o->used, 0, need);
	memcpy(o->buf + o->used, &bias, 8);
	memcpy(o->buf + o->used + 8, &lo, 8);
	memcpy(o->buf + o->used + 16, &hi, 8);
	u32 = (uint32_t)namen; memcpy(o->buf + o->used + 24, &u32, 4);
	u32 = (uint32_t)idn; memcpy(o->buf + o->used + 28, &u32, 4);
	memcpy(o->buf + o->used + 32, name, namen);
	if (idn)
		memcpy(o->buf + o->used + 32 + namen, id, idn);
	o->used += need;
	return 0;
}

/* The images loaded since the last call, as one block (the table's lock held, or at start). */
static void write_images(void)
{
	static struct images_out out;	/* 64 KiB: not on a stack that may be small */
	struct block_header h = { TRACE_BLOCK_MAGIC, TRACE_IMAGES_THREAD, 0, 0 };

	out.used = 0;
	dl_iterate_phdr(image_found, &out);
	h.count = (uint32_t)out.used;
	struct iovec parts[2] = { { &h, sizeof(h) }, { out.buf, out.used } };
	if (out.used && !write_all(parts, 2))
		atomic_store(&state, OFF);
}

static bool known(uint64_t pc)
{
	for (int i = 0; i < image_count; i++)
		if (pc >= images[i].lo && pc < images[i].hi)
			return true;
	return false;
}

/* At start (and in a forked child, whose file starts its own table): the table, the images, the unwinder. */
static void stacks_start(void)
{
	const char *how = getenv("RSSLAB_RECORD_STACKS");
	void *warm[4];

	stacks = !how ? STACKS_NONE : strcmp(how, "all") == 0 ? STACKS_ALL : strcmp(how, "large") == 0
		? STACKS_LARGE : STACKS_NONE;
	if (stacks == STACKS_NONE)
		return;
	if (table)	/* a fork: ids restart in the child's file, and the parent's pages go */
		madvise(table, sizeof(struct slot) * TABLE_SLOTS, MADV_DONTNEED);
	else
		table = map_zero(sizeof(struct slot) * TABLE_SLOTS);
	if (!frames)
		frames = map_zero(FRAMES_BYTES);
	if (!table || !frames) {
		stacks = STACKS_NONE;
		return;
	}
	frames_used = 0;
	next_stack = 1;
	image_count = 0;
	atomic_flag_clear(&table_lock);
	write_images();
	backtrace(warm, 4);	/* its first call loads libgcc_s (and allocates): here, not inside a recorded call */
}

/* The stack's id in the table, written to the file the first time; 0 when the table is full. */
static uint32_t stack_id(void *const *pcs, int depth)
{
	uint64_t hash = 1469598103934665603ull;
	uint32_t id = 0;
	bool rescan = false;

	for (int i = 0; i < depth; i++)
		hash = (hash ^ (uintptr_t)pcs[i]) * 1099511628211ull;
	hash |= 1;
	while (atomic_flag_test_and_set_explicit(&table_lock, memory_order_acquire))
		;
	for (uint32_t i = (uint32_t)hash & (TABLE_SLOTS - 1), probes = 0; probes < TABLE_SLOTS / 2;
	     i = (i + 1) & (TABLE_SLOTS - 1), probes++) {
		struct slot *s = &table[i];

		if (s->id && s->hash == hash && s->depth == (uint32_t)depth &&
		    memcmp(frames + s->at, pcs, sizeof(uint64_t) * (size_t)depth) == 0) {
			id = s->id;
			break;
		}
		if (s->id)
			continue;
		if ((frames_used + (uint64_t)depth) * 8 > FRAMES_BYTES || next_stack >= TABLE_SLOTS / 2)
			break;
		*s = (struct slot){ .hash = hash, .id = next_stack++, .depth = (uint32_t)depth, .at = frames_used };
		memcpy(frames + frames_used, pcs, sizeof(uint64_t) * (size_t)depth);
		frames_used += (uint64_t)depth;
		id = s->id;
		for (int k = 0; k < depth && !rescan; k++)
			rescan = !known((uintptr_t)pcs[k]);
		if (rescan)
			write_images();	/* a frame in no image known: one loaded since */
		struct block_header h = { TRACE_BLOCK_MAGIC, TRACE_STACK_THREAD, id, (uint32_t)depth };
		struct iovec parts[2] = { { &h, sizeof(h) }, { frames + s->at, sizeof(uint64_t) * (size_t)depth } };
		if (!write_all(parts, 2))
			atomic_store(&state, OFF);
		break;
	}
	atomic_flag_clear_explicit(&table_lock, memory_order_release);
	return id;
}

/* Should this call carry its stack? */
static bool wants_stack(uint16_t op, const void *ptr, uint64_t size)
{
	if (stacks == STACKS_NONE)
		return false;
	if (op == TRACE_FREE)
		return stacks == STACKS_ALL || chunk_is_mmapped(ptr);	/* mmapped frees move the threshold */
	return op != TRACE_THREAD_EXIT && (stacks == STACKS_ALL || size >= TRACE_STACK_LARGE_BYTES);
}

/* The caller's stack id: the return addresses less this library's own frames. */
static uint32_t this_stack(void)
{
	void *pcs[TRACE_STACK_DEPTH + 4];
	int n = backtrace(pcs, TRACE_STACK_DEPTH + 4), skip = 0;

	while (skip < n && (uintptr_t)pcs[skip] >= self_lo && (uintptr_t)pcs[skip] < self_hi)
		skip++;
	if (n - skip > TRACE_STACK_DEPTH)
		n = skip + TRACE_STACK_DEPTH;
	return n > skip ? stack_id(pcs + skip, n - skip) : 0;
}

static void thread_ended(void *arg);
static void forked_child(void);

/* The first call of the process starts the recorder (constructors of other libraries may come first). */
static bool tracing(void)
{
	int s = atomic_load(&state);
	int expected = UNSTARTED;

	if (s == TRACING)
		return !inside;
	if (s != UNSTARTED || !atomic_compare_exchange_strong(&state, &expected, STARTING))
		return false;	/* off, or another thread is starting it: that call goes unrecorded */
	inside = true;
	if (open_file(false)) {
		exit_key_ok = pthread_key_create(&exit_key, thread_ended) == 0;
		pthread_atfork(NULL, NULL, forked_child);
		atomic_store(&state, TRACING);
	} else {
		atomic_store(&state, OFF);
	}
	inside = false;
	return atomic_load(&state) == TRACING;
}

static struct buffer *attach(void)
{
	struct buffer *b;
	int free_one = 0;

	for (b = atomic_load(&registry); b; b = b->next) {
		free_one = 0;
		if (atomic_compare_exchange_strong(&b->owned, &free_one, 1))
			break;
	}
	if (!b) {
		b = mmap(NULL, sizeof(*b), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (b == MAP_FAILED)
			return NULL;
		atomic_flag_clear(&b->lock);
		atomic_store(&b->owned, 1);
		b->next = atomic_load(&registry);
		while (!atomic_compare_exchange_weak(&registry, &b->next, b))
			;
	}
	b->count = 0;
	b->arena_noted = false;
	b->thread = atomic_fetch_add(&next_thread, 1);
	mine = b;
	if (exit_key_ok)
		pthread_setspecific(exit_key, b);	/* no allocation: the key is one of the first 32 */
	return b;
}

static uint64_t take_seq(void)
{
	return atomic_fetch_add(&next_seq, 1);
}

/* resident and shared pages from /proc/self/statm, in bytes: VmRSS and RssFile + RssShmem (proc(5)). */
static bool read_statm(uint64_t *rss, uint64_t *anon)
{
	char text[128];
	uint64_t v[3] = { 0, 0, 0 };
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC), i = 0;

	if (fd < 0)
		return false;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	for (ssize_t k = 0; k < n && i < 3; k++) {
		if (text[k] >= '0' && text[k] <= '9')
			v[i] = v[i] * 10 + (uint64_t)(text[k] - '0');
		else if (text[k] == ' ')
			i++;
	}
	if (i < 2)
		return false;
	*rss = v[1] * (uint64_t)page_bytes;
	*anon = (v[1] - (v[2] < v[1] ? v[2] : v[1])) * (uint64_t)page_bytes;
	return true;
}

/* Is an RSS sample due at now (the first call's, or a period's first)? One thread takes it. */
static bool rss_due(uint64_t now)
{
	uint64_t due = atomic_load(&next_rss_ns);

	return now >= due && atomic_compare_exchange_strong(&next_rss_ns, &due, now + TRACE_RSS_PERIOD_NS);
}

/* Appends r to b (its lock held), writing the buffer when full or for a fork. */
static void put_locked(struct buffer *b, const struct trace_record *r)
{
	b->records[b->count++] = *r;
	if (b->count == BUFFER_RECORDS || write_through)
		flush_locked(b);
}

/* An RSS record (or op's, with the same fields) into b (its lock held), after the call just recorded there. */
static void put_rss_as_locked(struct buffer *b, uint64_t now, uint16_t op)
{
	struct trace_record r = { .time_ns = now, .thread = b->thread, .op = op };

	if (read_statm(&r.size, &r.aux)) {
		r.seq = take_seq();
		put_locked(b, &r);
	}
}

static void put_rss_locked(struct buffer *b, uint64_t now)
{
	put_rss_as_locked(b, now, TRACE_RSS);
}

static void emit(uint16_t op, const void *ptr, uint64_t size, uint64_t aux, bool failed, uint64_t seq)
{
	struct buffer *b;
	uint64_t now;
	uint32_t stack;

	inside = true;
	b = mine ? mine : attach();
	if (!b) {
		atomic_fetch_add(&lost, 1);
		inside = false;
		return;
	}
	stack = wants_stack(op, ptr, size) ? this_stack() : 0;
	while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
		;
	if (atomic_load(&closed) || atomic_load(&state) != TRACING) {
		atomic_fetch_add(&lost, 1);
	} else {
		now = clock_ns(TIME_CLOCK) - start_ns;
		put_locked(b, &(struct trace_record){
			.seq = seq, .time_ns = now,
			.ptr = (uintptr_t)ptr, .size = size, .aux = aux,
			.thread = b->thread, .op = op, .flags = failed ? TRACE_FLAG_FAILED : 0,
		});
		if (stack)
			put_locked(b, &(struct trace_record){
				.seq = seq, .time_ns = now, .aux = stack, .thread = b->thread, .op = TRACE_STACK,
			});
		/* The thread's arena, from its first heap block (chunk.h): what the replay's threads are compared with. */
		if (!b->arena_noted && ptr && !failed && trace_op_allocates(op) && chunk_arena(ptr) != CHUNK_ARENA_UNKNOWN) {
			b->arena_noted = true;
			put_locked(b, &(struct trace_record){
				.seq = take_seq(), .time_ns = now, .aux = chunk_arena(ptr),
				.thread = b->thread, .op = TRACE_ARENA,
			});
		}
		if (rss_due(now))
			put_rss_locked(b, now);
	}
	atomic_flag_clear_explicit(&b->lock, memory_order_release);
	inside = false;
}

/* A call the recorder could not take because this thread was inside it (a signal handler). */
static bool reentered(void)
{
	if (atomic_load(&state) == TRACING && inside) {
		atomic_fetch_add(&lost, 1);
		return true;
	}
	return false;
}

static void thread_ended(void *arg)
{
	struct buffer *b = arg;

	if (b != mine || !tracing())
		return;
	emit(TRACE_THREAD_EXIT, NULL, 0, 0, false, take_seq());
	while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
		;
	if (!atomic_load(&closed))
		flush_locked(b);
	atomic_flag_clear_explicit(&b->lock, memory_order_release);
	mine = NULL;
	atomic_store(&b->owned, 0);
}

/*
 * In a forked child only this thread lives on: the buffers hold the
 * parent's calls (the parent writes them), so they are emptied, and the
 * child starts its own file with its own numbering.
 */
static void forked_child(void)
{
	struct buffer *b;

	for (b = atomic_load(&registry); b; b = b->next) {
		b->count = 0;
		atomic_flag_clear(&b->lock);
		atomic_store(&b->owned, b == mine);
	}
	close(trace_fd);
	atomic_store(&next_seq, 0);
	atomic_store(&next_thread, 0);
	atomic_store(&lost, 0);
	write_through = true;
	if (!open_file(true)) {
		atomic_store(&state, OFF);
		return;
	}
	if (mine)
		mine->thread = atomic_fetch_add(&next_thread, 1);
}

__attribute__((constructor)) static void started(void)
{
	tracing();
}

__attribute__((destructor)) static void finished(void)
{
	struct buffer *b;
	struct block_header end = { TRACE_BLOCK_MAGIC, TRACE_END_THREAD, TRACE_END_EXIT, 0 };
	struct iovec part = { &end, sizeof(end) };

	if (atomic_load(&state) != TRACING)
		return;
	/* The program's VmRSS as it exits, after its last recorded call (in this thread's buffer: a thread
	 * that never called malloc gets none, rather than a thread number of its own). */
	inside = true;
	b = mine;
	if (b) {
		while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
			;
		if (!atomic_load(&closed))
			put_rss_locked(b, clock_ns(TIME_CLOCK) - start_ns);
		atomic_flag_clear_explicit(&b->lock, memory_order_release);
	}
	inside = false;
	for (b = atomic_load(&registry); b; b = b->next) {
		while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
			;
		flush_locked(b);
		atomic_store(&closed, true);
		atomic_flag_clear_explicit(&b->lock, memory_order_release);
	}
	atomic_store(&closed, true);
	end.lost = (uint32_t)atomic_load(&lost);
	if (atomic_load(&state) == TRACING)
		write_all(&part, 1);
}

/* Where the program's exit began (exit_hook.h): marked with the VmRSS of that moment (TRACE_EXIT_BEGIN). */
static void exit_began(void)
{
	struct buffer *b;

	if (!tracing())
		return;
	inside = true;
	b = mine ? mine : attach();
	if (b) {
		while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
			;
		if (!atomic_load(&closed))
			put_rss_as_locked(b, clock_ns(TIME_CLOCK) - start_ns, TRACE_EXIT_BEGIN);
		atomic_flag_clear_explicit(&b->lock, memory_order_release);
	}
	inside = false;
}

/*
 * exec ends the image without its destructors: what the buffers hold is
 * written first. (Only execve itself: glibc's execv, execvp and execl call
 * it inside libc, out of an interposer's reach; a forked child writes
 * through anyway, so what is lost there is a process that execs without
 * forking after filling part of a buffer, and its file has no end block.)
 */
EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	struct buffer *b;

	struct block_header end = { TRACE_BLOCK_MAGIC, TRACE_END_THREAD, TRACE_END_EXEC, 0 };
	struct iovec part = { &end, sizeof(end) };

	if (atomic_load(&state) == TRACING) {
		for (b = atomic_load(&registry); b; b = b->next) {
			while (atomic_flag_test_and_set_explicit(&b->lock, memory_order_acquire))
				;
			flush_locked(b);
			atomic_flag_clear_explicit(&b->lock, memory_order_release);
		}
		end.lost = (uint32_t)atomic_load(&lost);
		write_all(&part, 1);
	}
	return (int)syscall(SYS_execve, path, argv, envp);
}

EXPORT void *malloc(size_t size)
{
	void *p;
	int saved;

	if (reentered() || !tracing())
		return __libc_malloc(size);
	p = __libc_malloc(size);
	saved = errno;
	emit(TRACE_MALLOC, p, size, 0, p == NULL, take_seq());
	errno = saved;
	return p;
}

EXPORT void free(void *ptr)
{
	int saved = errno;

	if (ptr && !reentered() && tracing())
		emit(TRACE_FREE, ptr, 0, 0, false, take_seq());
	errno = saved;
	__libc_free(ptr);
}

static uint64_t product(size_t a, size_t b)
{
	size_t n;

	return __builtin_mul_overflow(a, b, &n) ? UINT64_MAX : n;
}

EXPORT void *calloc(size_t nmemb, size_t size)
{
	void *p;
	int saved;

	if (reentered() || !tracing())
		return __libc_calloc(nmemb, size);
	p = __libc_calloc(nmemb, size);
	saved = errno;
	emit(TRACE_CALLOC, p, product(nmemb, size), 0, p == NULL, take_seq());
	errno = saved;
	return p;
}

/* realloc(p, 0) frees p and returns NULL in glibc: recorded as a realloc that did not fail. */
static void *traced_realloc(void *old, size_t size)
{
	void *p;
	int saved;

	if (reentered() || !tracing())
		return __libc_realloc(old, size);
	p = __libc_realloc(old, size);
	saved = errno;
	emit(TRACE_REALLOC, p, size, (uintptr_t)old, p == NULL && !(old && size == 0), take_seq());
	errno = saved;
	return p;
}

EXPORT void *realloc(void *old, size_t size)
{
	return traced_realloc(old, size);
}

/* glibc's reallocarray calls its own realloc inside libc, out of an interposer's reach. */
EXPORT void *reallocarray(void *old, size_t nmemb, size_t size)
{
	size_t n;

	if (__builtin_mul_overflow(nmemb, size, &n)) {
		errno = ENOMEM;
		return NULL;
	}
	return traced_realloc(old, n);
}

static void *aligned(uint16_t op, size_t alignment, size_t size)
{
	void *p;
	int saved;

	if (reentered() || !tracing())
		return __libc_memalign(alignment, size);
	p = __libc_memalign(alignment, size);
	saved = errno;
	emit(op, p, size, alignment, p == NULL, take_seq());
	errno = saved;
	return p;
}

EXPORT void *memalign(size_t alignment, size_t size)
{
	return aligned(TRACE_MEMALIGN, alignment, size);
}

/* The checks of glibc 2.36's posix_memalign and aligned_alloc (malloc.c), then its memalign. */
EXPORT int posix_memalign(void **out, size_t alignment, size_t size)
{
	void *p;

	if (alignment % sizeof(void *) != 0 || alignment == 0 ||
	    (alignment / sizeof(void *) & (alignment / sizeof(void *) - 1)) != 0)
		return EINVAL;
	p = aligned(TRACE_POSIX_MEMALIGN, alignment, size);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}

EXPORT void *aligned_alloc(size_t alignment, size_t size)
{
	if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	return aligned(TRACE_ALIGNED_ALLOC, alignment, size);
}

static void *paged(uint16_t op, size_t size)
{
	void *p;
	int saved;
	bool pv = op == TRACE_PVALLOC;

	if (reentered() || !tracing())
		return pv ? __libc_pvalloc(size) : __libc_valloc(size);
	p = pv ? __libc_pvalloc(size) : __libc_valloc(size);
	saved = errno;
	emit(op, p, size, (uint64_t)sysconf(_SC_PAGESIZE), p == NULL, take_seq());
	errno = saved;
	return p;
}

EXPORT void *valloc(size_t size)
{
	return paged(TRACE_VALLOC, size);
}

EXPORT void *pvalloc(size_t size)
{
	return paged(TRACE_PVALLOC, size);
}
