#!/usr/bin/env python3
"""Start-up (issue 16, second target): from a command to the child's first record, and where it goes.

1. The probe: `rsslab-probe article-4 --format records` started, until its first record (the header) arrives.
   Goal: at most 20 ms.
2. A child JVM: `java -cp rsslab.jar io.rsslab.fork.ForkedMain article-4 --format records` until its first
   record. Goal: at most 300 ms.
3. The parent: `rsslab run article-4 --format csv` traced with `strace -f -e trace=execve` (execve only, so the
   trace costs little): when, after java's own execve, each program it starts is exec'd, up to the child; plus
   the whole command's wall time against the probe's alone, and `rsslab --version` (the JVM and the command
   line parser alone).

   bench/startup.py [N]        (default 15 runs of each)
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
b.require_build()
print("load average: %s" % b.load())
probe = [b.run([b.PROBE, "article-4", "--format", "records"]) for _ in range(n)]
print("1. probe to its first record: %s ms (goal <= 20 ms); whole article-4 run %s s"
      % (b.spread([r.first("rsslab") * 1000 for r in probe], "%.1f"), b.spread([r.wall for r in probe])))
jvm = [b.run(["java", "-cp", b.JAR, "io.rsslab.fork.ForkedMain", "article-4", "--format", "records"])
       for _ in range(max(3, n // 2))]
print("2. child JVM to its first record: %s ms (goal <= 300 ms)"
      % b.spread([r.first("rsslab") * 1000 for r in jvm], "%.0f"))
version = [b.run(["java", "-jar", b.JAR, "--version"]) for _ in range(max(3, n // 2))]
whole = [b.run(["java", "-jar", b.JAR, "run", "article-4", "--format", "csv"]) for _ in range(max(3, n // 2))]
print("3. rsslab --version (JVM + command line only): %s s; rsslab run article-4: %s s; the probe alone: %s s"
      % (b.spread([r.wall for r in version]), b.spread([r.wall for r in whole]),
         b.spread([r.wall for r in probe])))

# Where the parent's time goes before the child starts: execve times relative to java's.
work = tempfile.mkdtemp()
steps = {}
child_at = []
for i in range(3):
    log = os.path.join(work, "trace%d" % i)
    subprocess.run(["strace", "-f", "-qq", "--seccomp-bpf", "-ttt", "-e", "trace=execve", "-o", log, "java", "-jar", b.JAR, "run",
                    "article-4", "--format", "csv"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    t0 = None
    for line in open(log):
        m = re.match(r"\d+\s+(\d+\.\d+) execve\(\"([^\"]+)\", \[(.*?)\]", line)
        if not m or "= -1" in line:
            continue
        t, prog, args = float(m.group(1)), os.path.basename(m.group(2)), m.group(3)
        if t0 is None:
            t0 = t
            continue
        words = re.findall(r'"([^"]*)"', args)
        if prog == "jspawnhelper":
            continue  # the JDK's launcher of each child: the program itself follows
        label = " ".join([prog] + [w for w in words[1:3]])[:60]
        if prog == "rsslab-probe" and "article-4" in words and "--reap" not in words:
            child_at.append((t - t0) * 1000)
            break
        steps.setdefault(label, []).append((t - t0) * 1000)
print("   the parent's programs, ms after java's execve (median of 3 traced runs):")
for label, ts in steps.items():
    print("     %8.0f ms  %s" % (statistics.median(ts), label))
print("     %8.0f ms  the child (rsslab-probe article-4) exec'd" % statistics.median(child_at))
print("   parent command to the child's first record: about %.0f ms (the child's exec + the probe's %.1f ms)"
      % (statistics.median(child_at) + statistics.median([r.first("rsslab") * 1000 for r in probe]),
         statistics.median([r.first("rsslab") * 1000 for r in probe])))
