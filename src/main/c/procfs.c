#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"

/* /proc/self/status is about 1.5 kB; 8 kB leaves room for new fields. */
static char status_buf[8192];
static int status_fd = -1;

/* Read the whole status file into status_buf; 0 on success. */
static int read_status(void)
{
	ssize_t n;

	if (status_fd < 0) {
		status_fd = open(PROCFS_STATUS_PATH, O_RDONLY | O_CLOEXEC);
		if (status_fd < 0)
			return -1;
	}
	/* seq_file regenerates the text on a read from offset 0. */
	n = pread(status_fd, status_buf, sizeof(status_buf) - 1, 0);
	if (n <= 0)
		return -1;
	status_buf[n] = '\0';
	return 0;
}

/* The kB value of the line starting with field (e.g. "VmRSS:") in the last read, or -1. */
static long status_field_kb(const char *field)
{
	const char *p;
	long v = 0;

	p = strstr(status_buf, field);
	if (!p)
		return -1;
	p += strlen(field);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (*p++ - '0');
	return v;
}

int procfs_rss_kb(long *vm_rss_kb, long *rss_anon_kb, const char **failed_field)
{
	if (read_status()) {
		*failed_field = "file";
		return -1;
	}
	*vm_rss_kb = status_field_kb("VmRSS:");
	if (*vm_rss_kb < 0) {
		*failed_field = "VmRSS";
		return -1;
	}
	*rss_anon_kb = status_field_kb("RssAnon:");
	if (*rss_anon_kb < 0) {
		*failed_field = "RssAnon";
		return -1;
	}
	return 0;
}

/* Does the NUL-terminated line end with " " + path? */
static bool line_names(const char *line, size_t len, const char *path, size_t plen)
{
	return len > plen && line[len - plen - 1] == ' ' && memcmp(line + len - plen, path, plen) == 0;
}

int procfs_maps_has_path(const char *path)
{
	/* A JVM's maps run to hundreds of kB: read them a chunk at a time. */
	static char buf[65536];
	size_t have = 0, plen = strlen(path);
	int found = 0, fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	while (!found && (n = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		char *start = buf, *end = buf + have + n, *nl;

		while ((nl = memchr(start, '\n', end - start)) != NULL) {
			if (line_names(start, nl - start, path, plen))
				found = 1;
			start = nl + 1;
		}
		have = end - start;
		/* A line longer than the buffer names no library of ours: drop it. */
		if (have == sizeof(buf) - 1)
			have = 0;
		memmove(buf, start, have);
	}
	close(fd);
	return found;
}
