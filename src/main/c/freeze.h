#ifndef RSSLAB_FREEZE_H
#define RSSLAB_FREEZE_H

/*
 * rsslab-probe --freeze PID: inspect --stop's helper, which outlives the JVM.
 * It stops PID (SIGSTOP), says "stopped" (or "already-stopped": then it
 * never sends SIGCONT) on its standard output, and waits on its standard
 * input; a byte or the end of input (the JVM gone, even by SIGKILL: the
 * kernel closes the pipe) makes it send SIGCONT, always. It ignores SIGINT,
 * SIGTERM, SIGHUP and SIGPIPE, and runs in a session of its own, so that a
 * signal meant for rsslab does not end it before it has let the process go.
 * A job-control parent (su, runuser: they stop themselves when their child
 * stops) that stopped while PID was held is sent SIGCONT too.
 */
int freeze_main(const char *pid_text);

#endif
