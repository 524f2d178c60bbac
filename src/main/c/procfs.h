/*
 * /proc/self readings that never touch the heap under test: one open file
 * descriptor, one static buffer, pread(2) from offset 0 on every call.
 */
#ifndef RSSLAB_PROCFS_H
#define RSSLAB_PROCFS_H

#define PROCFS_STATUS_PATH "/proc/self/status"

/*
 * VmRSS and RssAnon in kB from one read of /proc/self/status. Returns 0, or
 * -1 when the file cannot be read or a field is missing; *failed_field then
 * names what is missing ("VmRSS", "RssAnon", or "file" for the file itself).
 */
int procfs_rss_kb(long *vm_rss_kb, long *rss_anon_kb, const char **failed_field);

/*
 * Is path mapped into this process (a line of /proc/self/maps ends with
 * " " + path)? Read in chunks into a static buffer: no malloc. -1 when the
 * file cannot be read.
 */
int procfs_maps_has_path(const char *path);

#endif
