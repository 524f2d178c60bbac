#include "freeze.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exit_codes.h"

static void say(const char *text)
{
	/* The JVM may be gone (EPIPE, SIGPIPE ignored): the process is let go all the same. */
	if (write(STDOUT_FILENO, text, strlen(text)) < 0)
		return;
}

/* /proc/PID/stat's state letter, and its parent's pid; '?' when it cannot be read (gone). */
static char state_of(long pid, long *ppid)
{
	static char buf[4096];
	char path[64];
	ssize_t n;
	int fd;
	char *close_paren;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	/* The command may hold ')' and spaces: the state follows the last ')'. */
	close_paren = strrchr(buf, ')');
	if (!close_paren || close_paren[1] != ' ' || !close_paren[2])
		return '?';
	if (ppid)
		*ppid = strtol(close_paren + 4, NULL, 10);
	return close_paren[2];
}

static void nap_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

int freeze_main(const char *pid_text)
{
	char *end;
	long pid, parent = 0, dummy;
	char was, parent_was;
	char c;
	ssize_t n;

	errno = 0;
	pid = strtol(pid_text, &end, 10);
	if (errno || *end || pid < 2) {
		say("error: not a process id\n");
		return RSSLAB_EXIT_USAGE;
	}
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* Out of rsslab's process group and session: a kill of the group, or the terminal's hangup, misses it. */
	(void)setsid();
	was = state_of(pid, &parent);
	if (was == '?') {
		say("error: no such process\n");
		return RSSLAB_EXIT_USAGE;
	}
	if (was == 'T' || was == 't') {
		/* Stopped by someone else: it stays as it was found. */
		say("already-stopped\n");
		while ((n = read(STDIN_FILENO, &c, 1)) < 0 && errno == EINTR)
			;
		return 0;
	}
	parent_was = parent > 1 ? state_of(parent, &dummy) : '?';
	if (kill((pid_t)pid, SIGSTOP) < 0) {
		say(errno == EPERM ? "error: not permitted to stop it\n" : "error: cannot stop it\n");
		return RSSLAB_EXIT_USAGE;
	}
	for (int i = 0; i < 2000 && state_of(pid, &dummy) != 'T'; i++)
		nap_ms(1);
	say(state_of(pid, &dummy) == 'T' ? "stopped\n" : "error: it did not stop within 2 s\n");
	/* A byte (the JVM's word) or the end of input (the JVM gone): let it go, whatever happened. */
	while ((n = read(STDIN_FILENO, &c, 1)) < 0 && errno == EINTR)
		;
	kill((pid_t)pid, SIGCONT);
	/*
	 * su and runuser wait for their child with WUNTRACED and stop themselves
	 * when it stops; once continued they continue it. A parent that was not
	 * stopped before and is stopped now (or within half a second: it sees the
	 * stop late) was stopped by this stop: it is continued too.
	 */
	if (parent > 1 && parent_was != 'T' && parent_was != '?') {
		for (int i = 0; i < 50; i++) {
			if (state_of(parent, &dummy) == 'T') {
				kill((pid_t)parent, SIGCONT);
				break;
			}
			nap_ms(10);
		}
	}
	say("continued\n");
	return 0;
}
