/*
 * librsslab-trim.so: preloaded into any dynamically linked glibc program, it
 * starts one thread that calls malloc_trim(0) every RSSLAB_TRIM_INTERVAL
 * (what -XX:TrimNativeHeapInterval is for HotSpot), and changes nothing else.
 *
 * The policy, from the environment (read once, at load):
 *   RSSLAB_TRIM_INTERVAL  e.g. 30s, 500ms, 2m, 1h (a bare number is seconds;
 *                         1ms to 24h). Unset or empty: the library does nothing.
 *   RSSLAB_TRIM_MIN       e.g. 4M, 512K: a trim whose VmRSS fell by less than
 *                         this counts as "little" (default: less than a page;
 *                         malloc_trim's own result is 1 for almost any call).
 *   RSSLAB_TRIM_MAX_BACKOFF after a little trim in a program whose VmRSS has
 *                         not grown by RSSLAB_TRIM_MIN since the last trim (an
 *                         idle one) the next wait doubles, up to this many
 *                         intervals (1 to 1024, default 8; 1: none); a trim
 *                         that returns enough, or growth, resets it: a busy
 *                         program's frees are trimmed within one interval.
 *   RSSLAB_TRIM_LOG       a file: one CSV row per trim (LOG_HEADER below),
 *                         appended by every process that has the library.
 *   RSSLAB_TRIM_ALLOCATOR glibc: trim although malloc is not libc.so.6's (a
 *                         wrapper that forwards to glibc, e.g. a profiler).
 * A bad value is ignored with one line on stderr (a bad interval: no
 * thread), never an exit: the library must not kill what it is loaded into.
 *
 * Why it is built this way:
 * - What malloc_trim does (glibc malloc/malloc.c, __malloc_trim and mtrim):
 *   for every arena in turn it takes the arena's lock, madvise(MADV_DONTNEED)s
 *   the whole free pages of every free chunk and, for the main arena, shrinks
 *   the top with systrim. The pause logged is that whole call: the longest any
 *   one arena's lock can have been held by the trimmer.
 * - Nothing here allocates from the heap it trims: the policy is parsed in
 *   place, rows are built on the stack (line.c) and written with write(2),
 *   VmRSS is read from /proc/self/statm into a stack buffer. The thread's own
 *   creation does (glibc's pthread_create callocs the new thread's DTV), once,
 *   on the creating thread; the trimmer thread itself never calls malloc.
 * - The log is opened, appended to and closed for every row, so a program
 *   that closes every descriptor or daemonizes (double fork, chdir /) never
 *   finds a descriptor of ours among its own or writes into ours; a relative
 *   path is made absolute at load.
 * - fork (pthread_atfork): the child gets its own trimmer thread, with a
 *   fresh back-off, because prefork servers (gunicorn, Apache, Python's
 *   multiprocessing) allocate in their children; glibc has already reset
 *   malloc's and the loader's locks in the child when the handler runs
 *   (posix/fork.c). posix_spawn and vfork children run no handlers, and
 *   exec starts over from the environment, which they inherit.
 * - Another allocator (jemalloc, tcmalloc, mimalloc preloaded before this
 *   library, or linked into the program): malloc_trim would walk glibc's
 *   nearly empty arenas for nothing, so the library says so once and stays
 *   idle. It is detected without calling anything that allocates: the
 *   object that defines the malloc every call resolves to (dladdr) is not
 *   libc.so.6.
 * - A static binary never loads it: ld.so is not involved (rsslab's try
 *   says so, as for every preload).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "line.h"

#define LOG_HEADER "time_unix_ms,pid,rss_before_kb,rss_after_kb,returned,pause_us,cpu_us,next_wait_ms"
#define THREAD_NAME "rsslab-trim"
#define THREAD_STACK (64 * 1024)

static long interval_ms;	/* 0: off */
static long min_kb = 4;		/* a trim that returned less is "little" */
static long max_backoff = 8;
static char log_path[4096];	/* "": no log */

static void say(const char *a, const char *b, const char *c)
{
	struct line l = { .len = 0 };

	line_put_str(&l, "librsslab-trim.so: ");
	line_put_str(&l, a);
	line_put_str(&l, b);
	line_put_str(&l, c);
	(void)line_write(&l, STDERR_FILENO);
}

/* "12", "12s", "500ms", "2m", "1h" into ms; -1 when it is none of those or out of 1 ms..24 h. */
static long parse_interval(const char *s)
{
	char *end;
	long v, unit;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (errno != 0 || v <= 0)
		return -1;
	if (strcmp(end, "ms") == 0)
		unit = 1;
	else if (*end == '\0' || strcmp(end, "s") == 0)
		unit = 1000;
	else if (strcmp(end, "m") == 0)
		unit = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		unit = 3600 * 1000;
	else
		return -1;
	if (v > 24L * 3600 * 1000 / unit)
		return -1;
	return v * unit;
}

/* "4096", "512K", "4M", "1G" (optionally ...iB or ...B) into KiB, rounded up; -1 when bad. */
static long parse_size_kb(const char *s)
{
	char *end;
	long long v;
	long shift;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (errno != 0 || v < 0)
		return -1;
	switch (*end) {
	case '\0': shift = 0; break;
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	default: return -1;
	}
	if (*end != '\0' && end[1] != '\0' && strcmp(end + 1, "iB") != 0 && strcmp(end + 1, "B") != 0)
		return -1;
	if (v > (1LL << (50 - shift)))
		return -1;
	return (long)(((v << shift) + 1023) >> 10);
}

/* VmRSS in KiB from /proc/self/statm (its second field, in pages); -1 when it cannot be read. */
static long rss_kb(void)
{
	char buf[128];
	ssize_t n;
	char *p;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strchr(buf, ' ');
	if (!p)
		return -1;
	return strtol(p + 1, NULL, 10) * (sysconf(_SC_PAGESIZE) / 1024);
}

static long clock_us(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static void log_row(long before, long after, int returned, long pause_us, long cpu_us, long next_ms)
{
	struct line l = { .len = 0 };
	int fd;

	if (!log_path[0])
		return;
	line_put_num(&l, clock_us(CLOCK_REALTIME) / 1000);
	line_put_str(&l, ",");
	line_put_num(&l, getpid());
	line_put_str(&l, ",");
	line_put_num(&l, before);
	line_put_str(&l, ",");
	line_put_num(&l, after);
	line_put_str(&l, ",");
	line_put_num(&l, returned);
	line_put_str(&l, ",");
	line_put_num(&l, pause_us);
	line_put_str(&l, ",");
	line_put_num(&l, cpu_us);
	line_put_str(&l, ",");
	line_put_num(&l, next_ms);
	fd = open(log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return;		/* removed, or a full disk: the program goes on, untrimmed rows are lost */
	(void)line_write(&l, fd);
	close(fd);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

static void *trimmer(void *unused)
{
	long wait = interval_ms;
	long last_after = -1;
	sigset_t all;

	(void)unused;
	/* Signals are the program's: none is ever delivered to this thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	prctl(PR_SET_NAME, THREAD_NAME);
	for (;;) {
		long before, after, t0, c0, pause, cpu;
		int returned;
		bool little;

		sleep_ms(wait);
		before = rss_kb();
		c0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
		t0 = clock_us(CLOCK_MONOTONIC);
		returned = malloc_trim(0);
		pause = clock_us(CLOCK_MONOTONIC) - t0;
		cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
		after = rss_kb();
		little = before < 0 || after < 0
			 || (before - after < min_kb && (last_after < 0 || before - last_after < min_kb));
		last_after = after;
		wait = little ? (wait * 2 > interval_ms * max_backoff ? interval_ms * max_backoff : wait * 2)
			: interval_ms;
		log_row(before, after, returned, pause, cpu, wait);
	}
	return NULL;
}

static void start_thread(void)
{
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (pthread_attr_init(&attr) != 0)
		return;
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, THREAD_STACK);
	err = pthread_create(&t, &attr, trimmer, NULL);
	pthread_attr_destroy(&attr);
	if (err != 0)
		say("cannot start its thread (", strerror(err), "): the program runs untrimmed");
}

/* Is the malloc that every call resolves to glibc's own? */
static bool is_libc(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	return strncmp(base, "libc.so", 7) == 0;
}

/* The loaded objects' names in the search order (dl_iterate_phdr's), the executable's ("") first. */
#define MAX_OBJECTS 256
static const char *objects[MAX_OBJECTS];
static int n_objects;

static int list_object(struct dl_phdr_info *o, size_t size, void *data)
{
	(void)size;
	(void)data;
	if (n_objects < MAX_OBJECTS)
		objects[n_objects++] = o->dlpi_name;
	return 0;
}

/* Whether the first object after the executable that defines malloc itself is glibc (ld.so's do_lookup_x). */
static bool first_definer_is_libc(void)
{
	n_objects = 0;
	dl_iterate_phdr(list_object, NULL);	/* dlopen below, not inside it: it holds the loader's lock */
	for (int i = 1; i < n_objects; i++) {
		void *h = objects[i] && objects[i][0] ? dlopen(objects[i], RTLD_LAZY | RTLD_NOLOAD) : NULL;
		void *p = h ? dlsym(h, "malloc") : NULL;
		Dl_info at;
		const ElfW(Sym) *def = NULL;

		if (h)
			dlclose(h);
		if (p && dladdr1(p, &at, (void **)&def, RTLD_DL_SYMENT) && def && def->st_shndx != SHN_UNDEF
		    && at.dli_fname && strcmp(at.dli_fname, objects[i]) == 0)
			return is_libc(objects[i]);
	}
	return false;
}

/*
 * Whether glibc defines the malloc this process calls. A non-PIE executable
 * that takes malloc's address (Debian's node) holds a canonical PLT entry for
 * it: &malloc is then the executable's, an undefined symbol there, and the
 * definition is the first object after it in the search order that defines
 * malloc itself (ld.so's lookup, do_lookup_x).
 */
static bool glibc_malloc(void)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;
	void *(*resolved)(size_t) = malloc;

	if (dladdr1((void *)resolved, &info, (void **)&sym, RTLD_DL_SYMENT) == 0 || !info.dli_fname)
		return false;
	if (!sym || sym->st_shndx != SHN_UNDEF)
		return is_libc(info.dli_fname);
	return first_definer_is_libc();
}

static void open_log(const char *path)
{
	size_t n = 0;
	int fd;

	if (path[0] != '/') {
		if (!getcwd(log_path, sizeof(log_path) - 2))
			goto bad;
		n = strlen(log_path);
		log_path[n++] = '/';
	}
	if (n + strlen(path) >= sizeof(log_path))
		goto bad;
	memcpy(log_path + n, path, strlen(path) + 1);
	/* The first process creates it with its header; later ones (children, exec'd programs) append. */
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0) {
		struct line l = { .len = 0 };

		line_put_str(&l, LOG_HEADER);
		(void)line_write(&l, fd);
		close(fd);
		return;
	}
	if (errno == EEXIST && access(log_path, W_OK) == 0)
		return;
bad:
	say("RSSLAB_TRIM_LOG=", path, " cannot be written: trimming without a log");
	log_path[0] = '\0';
}

static void child_after_fork(void)
{
	start_thread();
}

__attribute__((constructor))
static void trim_init(void)
{
	const char *interval = getenv("RSSLAB_TRIM_INTERVAL");
	const char *min = getenv("RSSLAB_TRIM_MIN");
	const char *log = getenv("RSSLAB_TRIM_LOG");
	const char *allocator = getenv("RSSLAB_TRIM_ALLOCATOR");
	const char *backoff = getenv("RSSLAB_TRIM_MAX_BACKOFF");

	if (!interval || !interval[0])
		return;
	interval_ms = parse_interval(interval);
	if (interval_ms < 0) {
		say("RSSLAB_TRIM_INTERVAL=", interval, " ignored (1ms to 24h, e.g. 30s, 500ms, 2m): not trimming");
		interval_ms = 0;
		return;
	}
	if (min && min[0]) {
		min_kb = parse_size_kb(min);
		if (min_kb < 0) {
			say("RSSLAB_TRIM_MIN=", min, " ignored (a size, e.g. 4M, 512K): backing off below one page");
			min_kb = 4;
		}
	}
	if (backoff && backoff[0]) {
		char *end;

		errno = 0;
		max_backoff = strtol(backoff, &end, 10);
		if (errno != 0 || *end != '\0' || backoff[0] < '0' || backoff[0] > '9' || max_backoff < 1
		    || max_backoff > 1024) {
			say("RSSLAB_TRIM_MAX_BACKOFF=", backoff, " ignored (1 to 1024 intervals): at most 8");
			max_backoff = 8;
		}
	}
	if (allocator && allocator[0] && strcmp(allocator, "glibc") != 0) {
		say("RSSLAB_TRIM_ALLOCATOR=", allocator, " ignored (only glibc is taken)");
		allocator = NULL;
	}
	if (!(allocator && allocator[0]) && !glibc_malloc()) {
		say("malloc is not glibc's here (another allocator is loaded first)", "", ": not trimming");
		interval_ms = 0;
		return;
	}
	if (log && log[0])
		open_log(log);
	if (pthread_atfork(NULL, NULL, child_after_fork) != 0)
		say("cannot follow forks", "", ": forked children run untrimmed");
	start_thread();
}
