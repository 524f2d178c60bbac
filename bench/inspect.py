#!/usr/bin/env python3
"""inspect's speed (issue 16): bench/holder.c holds CHUNKS chunks of SIZE bytes in 2 arenas (the main one
and a thread's), every other chunk freed; `rsslab inspect PID --format table` is run RUNS times on it and
timed by wait4 (the whole command) and by its own report of the chunk walk. Three targets: 1 GiB in 100,000
chunks, 1 GiB in 1,000,000 chunks, 128 MiB in 1,000,000 chunks: the cost follows the chunks, not the bytes.
Goal: 1 GiB and a million chunks in under 1 s (issue 29: 0.5 s), and faster than `gdb -p PID -batch -ex 'call
(int)getpid()'` on the same target, alternated with it. `rsslab --version` (the JVM starting) is timed beside it.

   bench/inspect.py [RUNS]      (default 5)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
b.require_build()
work = tempfile.mkdtemp()
holder = os.path.join(work, "holder")
subprocess.run(["gcc", "-Wall", "-O2", "-pthread", "-o", holder, os.path.join(b.ROOT, "bench", "holder.c")],
               check=True)
LAUNCHER = os.path.join(b.ROOT, "target", "rsslab")  # as a user runs it (the class data archive, issue 29)
gdb = shutil.which("gdb")
jvm = [b.run([LAUNCHER, "--version"]).wall for _ in range(runs)]
print("load %s; rsslab --version (the JVM alone): %s s" % (b.load(), b.spread(jvm)))
for chunks, size in ((100_000, 10_240), (1_000_000, 1_024), (1_000_000, 128)):
    h = subprocess.Popen([holder, str(chunks), str(size), "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True)
    ready = h.stdout.readline().split()
    pid = ready[1]
    walls, walks, gdbs = [], [], []
    for i in range(runs):
        # gdb attaching and calling a function in the target, the other tool a user would reach for; alternated.
        if gdb and i % 2 == 1:
            gdbs.append(b.run(["gdb", "-p", pid, "-batch", "-ex", "call (int)getpid()"]).wall)
        r = b.run([LAUNCHER, "inspect", pid, "--format", "table"])
        if gdb and i % 2 == 0:
            gdbs.append(b.run(["gdb", "-p", pid, "-batch", "-ex", "call (int)getpid()"]).wall)
        m = re.search(r"(\d+) chunks walked in (\d+) ms", "\n".join(r.lines))
        walls.append(r.wall)
        walks.append(int(m.group(2)))
        walked = int(m.group(1))
    h.stdin.write("\n")
    h.stdin.close()
    h.wait()
    print("%7d chunks of %5d B (%4d MiB, %d chunks walked): whole command %s s, chunk walk %s ms%s"
          % (chunks, size, chunks * size >> 20, walked, b.spread(walls), b.spread(walks, "%.0f"),
             "; gdb -p PID -batch -ex 'call (int)getpid()' %s s, inspect / gdb %s"
             % (b.spread(gdbs), b.spread([w / g for w, g in zip(walls, gdbs)], "%.2f")) if gdb else ""), flush=True)
