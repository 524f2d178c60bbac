#!/usr/bin/env python3
"""The parent's own memory (issue 16): `rsslab matrix --scenario article-4 --repeat N` for each N, the
parent JVM's peak RSS (VmHWM of its /proc/PID/status, read every 100 ms while it runs: it only grows, so
the last reading is the peak) while the runs go on (until runs.csv has every run's row) and in all (the
report drawn at the end included), its wall time and how many runs it finished. The children are not
counted (they are other processes). Each N three times: through the launcher target/rsslab (the serial collector
from an 8 MB heap, issue 29), the JVM as `java -jar` starts it (G1, an initial heap of 1/64 of the machine's
memory), and that with JDK_JAVA_OPTIONS="-XX:+UseSerialGC -Xmx64m". Goal: under 100 MB, flat in N.
--default-only: the launcher alone. --scenario NAME (default article-4) and --param K=V (matrix's) choose a
cheaper run: the parent's memory follows the number of runs and rows, so `--scenario article-4-churn --param
rounds=1` (0.2 s a run) reaches 1,000 runs in minutes.

   bench/parent_memory.py [--default-only] [--scenario NAME] [--param K=V ...] [N ...]
       (default 100 300 1000, both JVM settings)
"""
import os
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

args = sys.argv[1:]
default_only = "--default-only" in args
scenario = "article-4"
params = []
sizes = []
i = 0
while i < len(args):
    if args[i] == "--scenario":
        scenario = args[i + 1]
        i += 1
    elif args[i] == "--param":
        params += ["--param", args[i + 1]]
        i += 1
    elif args[i] != "--default-only":
        sizes.append(int(args[i]))
    i += 1
sizes = sizes or [100, 300, 1000]
b.require_build()
work = tempfile.mkdtemp()


def hwm(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rows(csv):
    try:
        with open(csv) as f:
            return sum(1 for _ in f) - 1
    except OSError:
        return 0


SMALL = "-XX:+UseSerialGC -Xmx64m"
LAUNCHER = os.path.join(b.ROOT, "target", "rsslab")
# (label, command, JDK_JAVA_OPTIONS): the launcher as a user runs it first (since issue 29: the serial collector
# from an 8 MB heap), then the plain JVM.
SETTINGS = [("target/rsslab", [LAUNCHER], None), ("java -jar", ["java", "-jar", b.JAR], None),
            ("java -jar, JDK_JAVA_OPTIONS=\"%s\"" % SMALL, ["java", "-jar", b.JAR], SMALL)]
for n in sizes:
    for label, command, options in SETTINGS[:1] if default_only else SETTINGS:
        out = os.path.join(work, "m%d-%d" % (n, SETTINGS.index((label, command, options))))
        env = dict(os.environ)
        env.pop("JDK_JAVA_OPTIONS", None)
        if options:
            env["JDK_JAVA_OPTIONS"] = options
        t0 = time.monotonic()
        p = subprocess.Popen(command + ["matrix", "--scenario", scenario] + params + ["--repeat", str(n),
                                        "--quiet", "--out", out], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, env=env)
        peak = 0
        during = 0
        while p.poll() is None:
            v = hwm(p.pid)
            if v:
                peak = max(peak, v)
                if rows(os.path.join(out, "runs.csv")) < n:
                    during = peak
            time.sleep(0.1)
        err = p.stderr.read()
        if p.returncode != 0:
            sys.exit("matrix failed: " + err[-2000:])
        finished = rows(os.path.join(out, "runs.csv"))
        print("matrix of %4d %s runs (%s): parent peak RSS %.1f MB while the runs went on, %.1f MB with the "
              "report; %d runs in %.0f s (load %s)" % (n, " ".join([scenario] + params[1::2]), label, during / 1024, peak / 1024, finished,
                                                     time.monotonic() - t0, b.load()), flush=True)
