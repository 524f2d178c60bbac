#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"
#include "line.h"
#include "reap.h"

/*
 * The reaper is the subreaper (PR_SET_CHILD_SUBREAPER) of everything it
 * starts: a process of the command's tree whose parent ends (a double-forked
 * daemon, the children of a command that did not wait for them) becomes our
 * child instead of init's, so it stays in the tree rsslab samples, and is
 * stopped when the command ends. Signals only set flags: the main loop acts
 * on them between waits (sigsuspend with them blocked otherwise, so none is
 * lost between a check and the wait).
 */
static volatile sig_atomic_t pending_sig;
static volatile sig_atomic_t pending_from_tty;

static const int handled[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT };

static void on_signal(int sig, siginfo_t *info, void *ctx)
{
	(void)ctx;
	pending_sig = sig;
	/* A terminal's Ctrl-C went to its whole foreground group, the command included. */
	pending_from_tty = info != NULL && info->si_code == SI_KERNEL;
}

static void on_child(int sig)
{
	(void)sig;
}

static void install_handlers(sigset_t *blocked, sigset_t *before)
{
	struct sigaction sa;
	size_t n;

	sigemptyset(blocked);
	sigaddset(blocked, SIGCHLD);
	for (n = 0; n < sizeof(handled) / sizeof(handled[0]); n++)
		sigaddset(blocked, handled[n]);
	sigprocmask(SIG_BLOCK, blocked, before);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	for (n = 0; n < sizeof(handled) / sizeof(handled[0]); n++)
		sigaction(handled[n], &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_child;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
}

/*
 * Our descendants, read from /proc/PID/task/TID/children breadth first into
 * a fixed array (no malloc, no opendir: getdents64 into a stack buffer).
 * Past the array's end the rest are found on the next pass: a killed
 * process's children become ours.
 */
#define TREE_MAX 8192
static pid_t tree[TREE_MAX];

static size_t add_children(const char *path, size_t n)
{
	char buf[4096];
	ssize_t len, i;
	long v = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return n;
	while ((len = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < len; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				v = (v < 0 ? 0 : v * 10) + (buf[i] - '0');
			} else if (v >= 0) {
				if (n < TREE_MAX)
					tree[n++] = (pid_t)v;
				v = -1;
			}
		}
	}
	if (v >= 0 && n < TREE_MAX)
		tree[n++] = (pid_t)v;
	close(fd);
	return n;
}

struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static size_t add_task_children(pid_t pid, size_t n)
{
	char path[64], buf[4096];
	struct line dir = { .len = 0 };
	long len, at;
	int fd;

	line_put_str(&dir, "/proc/");
	line_put_num(&dir, pid);
	line_put_str(&dir, "/task");
	dir.text[dir.len] = '\0';
	fd = open(dir.text, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return n;
	while ((len = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (at = 0; at < len;) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + at);

			at += d->d_reclen;
			if (d->d_name[0] < '0' || d->d_name[0] > '9' ||
			    strlen(dir.text) + strlen(d->d_name) + 11 > sizeof(path))
				continue;
			strcpy(path, dir.text);
			strcat(path, "/");
			strcat(path, d->d_name);
			strcat(path, "/children");
			n = add_children(path, n);
		}
	}
	close(fd);
	return n;
}

/* Sends sig to every process below us; how many there were. */
static size_t signal_tree(int sig)
{
	size_t n = add_task_children(getpid(), 0), i;

	for (i = 0; i < n; i++)
		n = add_task_children(tree[i], n);
	for (i = 0; i < n; i++)
		kill(tree[i], sig);
	return n;
}

/*
 * SIGKILL to everything below us, again until nothing is left, reaping
 * what becomes ours: how many processes we reaped.
 */
static long kill_tree(void)
{
	long reaped = 0;
	struct timespec pause = { 0, 5 * 1000 * 1000 };

	for (;;) {
		signal_tree(SIGKILL);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			reaped++;
		if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			return reaped;
		nanosleep(&pause, NULL);
	}
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
static void exec_child(char *const argv[], pid_t reaper, const sigset_t *mask)
{
	static const char msg[] = "rsslab-probe --reap: cannot execute ";
	const char *preload = getenv(REAP_CHILD_PRELOAD);

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != reaper)
		_exit(RSSLAB_EXIT_EXEC_FAILED);
	/* The command starts with rsslab's own mask, not the reaper's (exec keeps a blocked mask). */
	sigprocmask(SIG_SETMASK, mask, NULL);
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

static int report(int status, long wall_us, const struct rusage *ru, long left, pid_t pid, const char *path)
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
	line_put_tab_num(&l, left);
	line_put_tab_num(&l, pid);
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
	pid_t reaper = getpid(), parent = getppid(), pid, r;
	int ended = 0;
	sigset_t blocked, before;
	struct rusage ru, any;
	int status = 0, st;
	long t0, left;

	/*
	 * If rsslab dies (kill -9 included), the kernel sends us SIGTERM
	 * (PR_SET_PDEATHSIG); the loop then sees our parent changed and stops
	 * the whole tree. Checked once after the prctl too: rsslab may have died
	 * before it.
	 */
	install_handlers(&blocked, &before);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	t0 = monotonic_usec();
	pid = getppid() == parent ? fork() : -1;
	if (pid < 0)
		return RSSLAB_EXIT_EXEC_FAILED;
	if (pid == 0)
		exec_child(argv, reaper, &before);
	for (;;) {
		/* Reap whatever ended: the command, or an orphan of its tree that became ours. */
		while ((r = wait4(-1, &st, WNOHANG, &any)) > 0)
			if (r == pid) {
				status = st;
				ru = any;
				ended = 1;
			}
		if (ended)
			break;
		if (getppid() != parent) {
			kill_tree();
			_exit(RSSLAB_EXIT_EXEC_FAILED);
		}
		if (pending_sig) {
			int sig = pending_sig;

			/* rsslab's SIGTERM (--duration, its own Ctrl-C) goes to the whole tree, not the command alone. */
			if (!pending_from_tty)
				signal_tree(sig);
			pending_sig = 0;
		}
		sigsuspend(&before);
	}
	/* The command has ended: what is left of its tree (a daemon, children it did not wait for) is stopped. */
	left = kill_tree();
	if (report(status, monotonic_usec() - t0, &ru, left, pid, report_path) != 0)
		return RSSLAB_EXIT_OUTPUT_FAILED;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
