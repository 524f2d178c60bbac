/*
 * librsslab-exitmark.so: preloaded by `rsslab try` into the user's command
 * (beside a variant's own preload; it interposes no malloc), it writes the
 * process's VmRSS and RssAnon where its exit began (exit_hook.h: exit()
 * called or main returned) and at its exit (its destructor, which runs
 * after the program's atexit handlers and the other libraries'
 * destructors: it is loaded first, so finalized last), one line each:
 *
 *   before_exit|at_exit <TAB> pid=P <TAB> rss_kb=N <TAB> rss_anon_kb=N
 *
 * appended to $RSSLAB_EXIT_MARK; fork and exec carry it on, so every line
 * names its process and try reads those of the command's own pid. The same
 * two moments as a replay's (TRACE_EXIT_BEGIN, and the trace's end). No
 * malloc: line.c builds the lines, write(2) writes them.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exit_hook.h"
#include "line.h"
#include "procfs.h"

static char path[4096];

static void mark(const char *moment)
{
	struct line l = { .len = 0 };
	long rss, anon;
	const char *field;
	int fd;

	if (!path[0] || procfs_rss_kb(&rss, &anon, &field) != 0)
		return;
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	line_put_str(&l, moment);
	line_put_kv(&l, "pid", (long)getpid());
	line_put_kv(&l, "rss_kb", rss);
	line_put_kv(&l, "rss_anon_kb", anon);
	line_write(&l, fd);
	close(fd);
}

static void exit_began(void)
{
	mark("before_exit");
}

__attribute__((constructor)) static void loaded(void)
{
	const char *p = getenv("RSSLAB_EXIT_MARK");

	if (p && p[0] == '/' && strlen(p) < sizeof(path))
		memcpy(path, p, strlen(p) + 1);
}

__attribute__((destructor)) static void unloaded(void)
{
	mark("at_exit");
}
