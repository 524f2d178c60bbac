#define _GNU_SOURCE
#include <dlfcn.h>
#include <features.h>
#include <malloc.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>

#include "explain.h"
#include "procfs.h"

bool explain_glibc_malloc(void)
{
	void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
	void *libc_malloc;
	void *(*ours)(size_t) = malloc;

	if (!libc)
		return false;
	libc_malloc = dlsym(libc, "malloc");
	dlclose(libc);
	return libc_malloc == (void *)ours;
}

void explain_heap(struct heap_state *h)
{
#if __GLIBC_PREREQ(2, 33)
	struct mallinfo2 mi = mallinfo2();
#else
	/* int fields: wrong above 2 GiB, the best older glibc offers. */
	struct mallinfo mi = mallinfo();
#endif

	h->heap_kb = mi.arena / 1024;
	h->heap_free_kb = mi.fordblks / 1024;
	h->mmapped_kb = mi.hblkhd / 1024;
	h->top_releasable_kb = mi.keepcost / 1024;
}

static long tv_us(struct timeval tv)
{
	return tv.tv_sec * 1000000L + tv.tv_usec;
}

void explain_usage(struct usage *u)
{
	struct rusage ru;
	struct timespec ts;

	/* The loop's own thread: in a JVM, GC and JIT threads are not the experiment. */
	getrusage(RUSAGE_THREAD, &ru);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	u->minflt = ru.ru_minflt;
	u->user_us = tv_us(ru.ru_utime);
	u->sys_us = tv_us(ru.ru_stime);
	u->wall_us = ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

const char *explain_preload(void)
{
	static char entry[4096];
	const char *list = getenv("LD_PRELOAD");
	bool any = false;

	while (list && *list) {
		size_t len = strcspn(list, " :");

		if (len > 0) {
			if (len >= sizeof(entry))
				return "missing";
			memcpy(entry, list, len);
			entry[len] = '\0';
			any = true;
			if (procfs_maps_has_path(entry) != 1)
				return "missing";
		}
		list += len;
		list += strspn(list, " :");
	}
	return any ? "loaded" : "none";
}
