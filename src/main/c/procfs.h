/*
 * /proc/self readings that never touch the heap under test: one open file
 * descriptor, one static buffer, pread(2) from offset 0 on every call.
 */
#ifndef RSSLAB_PROCFS_H
#define RSSLAB_PROCFS_H

/* VmRSS and RssAnon in kB from one read of /proc/self/status (-1 if absent). */
void procfs_rss_kb(long *vm_rss_kb, long *rss_anon_kb);

#endif
