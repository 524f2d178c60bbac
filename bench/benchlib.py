"""Shared pieces of the benchmark suite (bench/suite.sh): processes timed by the kernel's accounting of the
finished process (os.wait4), records timed as they arrive, pairs alternated A/B and B/A, medians and ranges.
Nothing here asserts a goal: each benchmark prints what it measured beside the goal."""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "target", "rsslab.jar")
NATIVE = os.path.join(ROOT, "target", "classes", "native", "linux-x86_64")
PROBE = os.path.join(NATIVE, "rsslab-probe")


def require_build():
    for f in (JAR, PROBE):
        if not os.path.exists(f):
            sys.exit("build first: mvn -B package -DskipTests (no %s)" % f)


class Run:
    """One finished process: wall seconds, user and system seconds and max RSS (kB) from wait4, its
    standard output as lines, and the monotonic time (seconds after the start) each line arrived at."""

    def __init__(self, wall, user, sys_, maxrss_kb, lines, arrived, status):
        self.wall, self.user, self.sys, self.maxrss_kb = wall, user, sys_, maxrss_kb
        self.lines, self.arrived, self.status = lines, arrived, status

    @property
    def cpu(self):
        return self.user + self.sys

    def first(self, prefix):
        """Seconds from the start until the first line starting with prefix arrived (None: never)."""
        for line, t in zip(self.lines, self.arrived):
            if line.startswith(prefix):
                return t
        return None


def run(cmd, env=None, stdin=subprocess.DEVNULL, check=True, cwd=None):
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin, env=full_env,
                         text=True, cwd=cwd)
    lines, arrived = [], []
    for line in p.stdout:
        arrived.append(time.monotonic() - t0)
        lines.append(line.rstrip("\n"))
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if check and p.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), p.returncode, err[-2000:]))
    return Run(wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, lines, arrived, p.returncode)


def pairs(n, a, b, label_a="A", label_b="B", show=None):
    """n pairs, A first in odd pairs and B first in even ones; returns the two lists of results."""
    ra, rb = [], []
    for i in range(n):
        if i % 2 == 0:
            x = a(); y = b()
        else:
            y = b(); x = a()
        ra.append(x); rb.append(y)
        if show:
            print("  pair %d: %s" % (i + 1, show(x, y)), flush=True)
    return ra, rb


def spread(values, fmt="%.3f"):
    """median (min-max) of values."""
    return (fmt + " (" + fmt + "-" + fmt + ")") % (statistics.median(values), min(values), max(values))


def ratios(bs, as_):
    return [b / a for a, b in zip(as_, bs) if a > 0]


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def records(lines):
    """The probe's records as (tag, {key: value}) pairs."""
    out = []
    for line in lines:
        f = line.split("\t")
        out.append((f[0], dict(x.split("=", 1) for x in f[1:] if "=" in x)))
    return out
