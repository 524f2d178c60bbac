/*
 * Targets for rsslab trim/tune's tests (TrimTest): each prints "ready PID"
 * when set up, then does one thing and prints what it saw.
 *
 *   target sleep MS     nanosleep(MS) once, no retry: "slept US rc ERRNO"
 *   target read         read(2) on stdin (a pipe) once: "read N ERRNO TEXT"
 *   target futex MS     FUTEX_WAIT with an MS timeout on a word nobody wakes: "futex rc ERRNO US"
 *   target loop T       T threads in malloc/free loops, each block stamped at both ends and checked
 *                       before its free, until a line on stdin: "intact after N rounds" (or "corrupt")
 *   target lock         a thread holds the main arena's lock (malloc_stats into a full pipe) for good;
 *                       main waits on stdin
 *   target seccomp      an allow-everything seccomp filter, then waits on stdin
 *   target bins         60 MiB free in the main heap's bins below a live block, then waits on stdin
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000L + t.tv_nsec / 1000;
}

static void ready(void)
{
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
}

static void wait_stdin(void)
{
	char c;

	while (read(STDIN_FILENO, &c, 1) > 0 && c != '\n')
		;
}

static volatile int stop_loops;
static volatile long corrupt;

/* Until told to stop: blocks of pseudo-random sizes, stamped at both ends and checked before each free. */
static void *loop(void *arg)
{
	unsigned long seed = (unsigned long)arg * 2654435761UL + 1, n = 0;
	unsigned char *held[64] = { 0 };
	size_t sizes[64] = { 0 };

	while (!stop_loops) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		int slot = (int)(seed >> 58);
		size_t size = 16 + (seed >> 40) % 70000;
		unsigned char stamp = (unsigned char)(slot * 7 + 1);

		if (held[slot] && (held[slot][0] != stamp || held[slot][sizes[slot] - 1] != stamp))
			corrupt++;
		free(held[slot]);
		held[slot] = malloc(size);
		if (!held[slot])
			abort();
		held[slot][0] = held[slot][size - 1] = stamp;
		sizes[slot] = size;
		n++;
	}
	for (int s = 0; s < 64; s++)
		free(held[s]);
	return (void *)n;
}

static void *hold_lock(void *arg)
{
	(void)arg;
	malloc_stats(); /* prints to stderr, a full pipe, with main_arena's mutex held (malloc.c __malloc_stats) */
	return NULL;
}

int main(int argc, char *argv[])
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (strcmp(mode, "sleep") == 0 && argc == 3) {
		long ms = atol(argv[2]);
		struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

		ready();
		long t0 = now_us();
		int rc = nanosleep(&t, NULL);
		int e = rc ? errno : 0;

		printf("slept %ld rc %d errno %d\n", now_us() - t0, rc, e);
	} else if (strcmp(mode, "read") == 0) {
		static char buf[256];

		ready();
		ssize_t n = read(STDIN_FILENO, buf, sizeof(buf) - 1);
		int e = n < 0 ? errno : 0;

		buf[n > 0 ? n : 0] = '\0';
		printf("read %zd errno %d %s", n, e, buf);
	} else if (strcmp(mode, "futex") == 0 && argc == 3) {
		static int word;
		long ms = atol(argv[2]);
		struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

		ready();
		long t0 = now_us();
		long rc = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0);
		int e = rc ? errno : 0;

		printf("futex %ld errno %d us %ld\n", rc, e, now_us() - t0);
	} else if (strcmp(mode, "loop") == 0 && argc == 3) {
		int n = atoi(argv[2]);
		pthread_t t[16];
		unsigned long calls = 0;

		for (int i = 0; i < n && i < 16; i++)
			pthread_create(&t[i], NULL, loop, (void *)(long)(i + 1));
		usleep(100000);
		ready();
		wait_stdin();
		stop_loops = 1;
		for (int i = 0; i < n && i < 16; i++) {
			void *r;

			pthread_join(t[i], &r);
			calls += (unsigned long)r;
		}
		printf("%s after %lu rounds\n", corrupt ? "corrupt" : "intact", calls);
	} else if (strcmp(mode, "lock") == 0) {
		pthread_t t;
		static char fill[1 << 16];
		int fds[2];

		if (pipe(fds) < 0)
			return 1;
		fcntl(fds[1], F_SETFL, O_NONBLOCK);
		while (write(fds[1], fill, sizeof(fill)) > 0)
			;
		fcntl(fds[1], F_SETFL, 0);
		dup2(fds[1], STDERR_FILENO);
		/* stdout's buffer is taken before the lock is: main's printf must not wait on it. */
		static char outbuf[4096];

		setvbuf(stdout, outbuf, _IOLBF, sizeof(outbuf));
		pthread_create(&t, NULL, hold_lock, NULL);
		usleep(200000);
		ready();
		wait_stdin();
		printf("done\n");
		fflush(stdout);
		_exit(0); /* the thread never lets the lock go */
	} else if (strcmp(mode, "seccomp") == 0) {
		struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
		struct sock_fprog prog = { 1, allow };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
			return 1;
		ready();
		wait_stdin();
		printf("done\n");
	} else if (strcmp(mode, "bins") == 0) {
		static char *p[60000];

		for (int i = 0; i < 60000; i++) {
			p[i] = malloc(1000);
			memset(p[i], 1, 1000);
		}
		char *keep = malloc(16);

		for (int i = 0; i < 60000; i++)
			free(p[i]);
		ready();
		wait_stdin();
		printf("done %p\n", (void *)keep);
	} else {
		fprintf(stderr, "usage: target sleep MS | read | futex MS | loop T | lock | seccomp | bins\n");
		return 2;
	}
	return 0;
}
