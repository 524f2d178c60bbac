#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"
#include "line.h"
#include "reap.h"

static volatile sig_atomic_t child_pid;

/* Pass termination requests on: the measured process must not outlive us. */
static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static void install_forwarding(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };
	struct sigaction sa;
	size_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	for (n = 0; n < sizeof(sigs) / sizeof(sigs[0]); n++)
		sigaction(sigs[n], &sa, NULL);
}

static long usec(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

static long monotonic_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/*
 * In the child: die with the reaper (SIGKILL), take the preload meant for
 * it (the reaper itself runs without the variant's allocator), then become
 * the command.
 */
static void exec_child(char *const argv[], pid_t reaper)
{
	static const char msg[] = "rsslab-probe --reap: cannot execute ";
	const char *preload = getenv(REAP_CHILD_PRELOAD);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != reaper)
		_exit(RSSLAB_EXIT_EXEC_FAILED);
	/* A forked child about to exec: setenv may allocate, nothing here is measured. */
	if (preload && (setenv("LD_PRELOAD", preload, 1) != 0 || unsetenv(REAP_CHILD_PRELOAD) != 0))
		_exit(RSSLAB_EXIT_EXEC_FAILED);
	execvp(argv[0], argv);
	/* We are the forked child: write(2) only, then leave without atexit. */
	if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0 ||
	    write(STDERR_FILENO, argv[0], strlen(argv[0])) < 0 ||
	    write(STDERR_FILENO, ": ", 2) < 0 ||
	    write(STDERR_FILENO, strerror(errno), strlen(strerror(errno))) < 0 ||
	    write(STDERR_FILENO, "\n", 1) < 0)
		_exit(RSSLAB_EXIT_EXEC_FAILED);
	_exit(RSSLAB_EXIT_EXEC_FAILED);
}

static int report(int status, long wall_us, const struct rusage *ru, const char *path)
{
	struct line l = { .len = 0 };
	int fd = STDOUT_FILENO, ret;

	line_put_str(&l, "reaped\t");
	if (WIFSIGNALED(status)) {
		line_put_str(&l, "signaled");
		line_put_tab_num(&l, WTERMSIG(status));
	} else {
		line_put_str(&l, "exited");
		line_put_tab_num(&l, WEXITSTATUS(status));
	}
	line_put_tab_num(&l, wall_us);
	line_put_tab_num(&l, usec(ru->ru_utime));
	line_put_tab_num(&l, usec(ru->ru_stime));
	line_put_tab_num(&l, ru->ru_maxrss);
	line_put_tab_num(&l, ru->ru_minflt);
	if (path) {
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
	}
	ret = line_write(&l, fd);
	if (path && close(fd) != 0)
		ret = -1;
	return ret;
}

int reap_main(char *const argv[], const char *report_path)
{
	pid_t reaper = getpid(), pid;
	struct rusage ru;
	int status;
	long t0;

	/* If our own parent (rsslab) dies, so do we, and with us the child. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	install_forwarding();
	t0 = monotonic_usec();
	pid = fork();
	if (pid < 0)
		return RSSLAB_EXIT_EXEC_FAILED;
	if (pid == 0)
		exec_child(argv, reaper);
	child_pid = pid;
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			return RSSLAB_EXIT_EXEC_FAILED;
	if (report(status, monotonic_usec() - t0, &ru, report_path) != 0)
		return RSSLAB_EXIT_OUTPUT_FAILED;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
