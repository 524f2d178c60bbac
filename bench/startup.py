#!/usr/bin/env python3
"""Start-up (issue 16, second target): from a command to the child's first record, and where it goes.

1. The probe: `rsslab-probe article-4 --format records` started, until its first record (the header) arrives.
   Goal: at most 20 ms.
2. A child JVM: `java -cp rsslab.jar io.rsslab.fork.ForkedMain article-4 --format records` until its first
   record. Goal: at most 300 ms.
3. The parent: `rsslab run article-4 --format csv`, the whole command's wall time against the probe's alone and
   `rsslab --version` (the JVM and the command line parser alone); then where its time goes, by the JVM's own
   clock at the first load of the class that begins each step (-Xlog:class+load with uptime; the logging
   itself costs a little).

   bench/startup.py [N]        (default 15 runs of each)
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the checkout
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

# Where the parent's time goes before the child starts: the JVM's own clock (-Xlog:class+load with uptime)
# at the first use of the class that begins each step of `rsslab run`.
MARKS = [
    ("io.rsslab.cli.Main", "JVM started, rsslab's main class loaded"),
    ("io.rsslab.nativelib.Platform", "command line parsed (picocli), the command begins"),
    ("io.rsslab.malloc.LoaderTunables", "scenario and variant resolved; glibc's loader asked for its tunables"),
    ("io.rsslab.cli.MemoryGuard", "tunables read back; memory guard"),
    ("io.rsslab.nativelib.NativeLoader", "CSV writer ready; the native cache checked (probe unpacked or compared)"),
    ("io.rsslab.fork.LiveChildren", "the child started (under the probe's reaper)"),
    ("io.rsslab.fork.RunStart", "the child's base record parsed (its second record)"),
]
work = tempfile.mkdtemp()
at = {cls: [] for cls, _ in MARKS}
for i in range(5):
    log = os.path.join(work, "classes%d" % i)
    subprocess.run(["java", "-Xlog:class+load:file=%s:uptime" % log, "-jar", b.JAR, "run", "article-4", "--format",
                    "csv"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    seen = {}
    for line in open(log):
        m = re.match(r"\[(\d+\.\d+)s\].* (\S+) source:", line)
        if m and m.group(2) in at and m.group(2) not in seen:
            seen[m.group(2)] = float(m.group(1)) * 1000
    for cls in at:
        at[cls].append(seen.get(cls, float("nan")))
print("   where `rsslab run article-4` spends its time, by the JVM's clock (ms since the JVM started; median of 5, "
      "class-load logging on):")
previous = 0.0
for cls, what in MARKS:
    t = statistics.median(at[cls])
    print("     %6.0f ms (+%4.0f)  %s" % (t, t - previous, what))
    previous = t
