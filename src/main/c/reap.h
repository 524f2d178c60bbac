/*
 * The probe's --reap mode: start a command as our child, wait for it with
 * wait4(2) and report the kernel's accounting of the finished process.
 * Java cannot get rusage for its children, so the parent starts
 * "rsslab-probe --reap -- CMD ARGS..." instead of CMD.
 *
 * After the child has ended (so after all of its output), one line on
 * stdout, or in the file of --report PATH (for a command whose own output
 * is not rsslab's records), fields separated by tabs:
 *   reaped  exited|signaled  <exit code|signal>  <wall µs>  <user µs>  <sys µs>  <max RSS kB>  <minor faults>
 *           <left>  <pid>
 * and the reaper exits with the child's code, or 128 + the signal.
 *
 * The reaper is the subreaper of the command's tree (PR_SET_CHILD_SUBREAPER):
 * an orphan of it (a double-forked daemon) becomes the reaper's child, so it
 * stays in the tree rsslab samples. When the command ends, whatever of its
 * tree still runs is stopped (SIGKILL) and counted: <left>. A SIGTERM, SIGINT,
 * SIGHUP or SIGQUIT sent to the reaper by a process goes to the whole tree (one
 * from the terminal already reached its foreground group). If rsslab dies,
 * kill -9 included (PR_SET_PDEATHSIG), the reaper stops the whole tree and
 * exits. <pid> is the command's process id.
 */
#ifndef RSSLAB_REAP_H
#define RSSLAB_REAP_H

/*
 * LD_PRELOAD for the command only: the reaper gets it under this name and
 * sets LD_PRELOAD in the child it forks, so the reaper never runs the
 * variant's allocator, and a preload that breaks a process breaks the
 * measured one, where it is reported.
 */
#define REAP_CHILD_PRELOAD "RSSLAB_CHILD_LD_PRELOAD"

/* report_path: where to write the line (NULL: stdout). */
int reap_main(char *const argv[], const char *report_path);

#endif
