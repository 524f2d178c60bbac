/*
 * /proc/self readings that never touch the heap under test: one open file
 * descriptor, one static buffer, pread(2) from offset 0 on every call.
 */
#ifndef RSSLAB_PROCFS_H
#define RSSLAB_PROCFS_H

/* VmRSS of this process in kB, or -1 if /proc/self/status is unreadable. */
long procfs_vm_rss_kb(void);

#endif
