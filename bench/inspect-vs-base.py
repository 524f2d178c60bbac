#!/usr/bin/env python3
"""inspect before and after a change, and gdb, on one running target (issue 29): BASE's launcher (a copy of another
build's target/rsslab, rsslab.jar, and its rsslab.jsa made by that build's deploy/make-cds for that copy),
this checkout's target/rsslab, and `gdb -p PID -batch -ex 'call (int)getpid()'`, alternated round by round (the
order reversed every other round), each timed by wait4 (wall, user + system).

   bench/inspect-vs-base.py BASE_LAUNCHER PID ROUNDS
"""
import os, subprocess, sys, time, statistics
base, pid, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "rsslab")
cmds = {"base": [base, "inspect", pid, "--format", "table"],
        "this": [here, "inspect", pid, "--format", "table"],
        "gdb": ["gdb", "-p", pid, "-batch", "-ex", "call (int)getpid()"]}
res = {k: [] for k in cmds}
print("load at start", os.getloadavg()[0])
for i in range(rounds):
    for k, c in (list(cmds.items()) if i % 2 == 0 else list(cmds.items())[::-1]):
        t = time.monotonic(); p = subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, st, ru = os.wait4(p.pid, 0); w = time.monotonic() - t
        res[k].append((w, ru.ru_utime + ru.ru_stime))
for k, v in res.items():
    ws = [x[0] for x in v]; cs = [x[1] for x in v]
    print("%-5s wall median %.3f (%.3f-%.3f) s, CPU median %.3f s" % (k, statistics.median(ws), min(ws), max(ws), statistics.median(cs)))
for k in ("base", "this"):
    r = [a[0] / b[0] for a, b in zip(res[k], res["gdb"])]
    print("%s / gdb per round: median %.2f (%.2f-%.2f)" % (k, statistics.median(r), min(r), max(r)))
print("load at end", os.getloadavg()[0])
