#!/usr/bin/env python3
"""rsslab record against the tools a user would pick instead (issue 29): the same three workloads run natively,
under `rsslab record` (target/rsslab, the launcher), under heaptrack (Debian's package: zstd-compressed output)
and under Valgrind's massif, in rounds that rotate the order. Per tool: the whole command's wall time (wait4) and
its ratio to the native run of the same round, the largest RSS of the command's process tree (wait4's maxrss: the
recorder's JVM, heaptrack's interpreter, valgrind), and what it wrote per million calls (the calls are those
rsslab record counted in the program's own image). Medians (min-max). A tool that is not installed is said so.

   bench/record-vs-tools.py [ROUNDS]        (default 3)
"""
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
b.require_build()
launcher = os.path.join(b.ROOT, "target", "rsslab")
work = tempfile.mkdtemp()
loop = os.path.join(work, "alloc-heavy")
subprocess.run(["gcc", "-O2", "-fno-builtin-malloc", "-fno-builtin-free", "-o", loop,
                os.path.join(b.ROOT, "bench", "alloc-heavy.c")], check=True)
python = shutil.which("python3.11", path="/usr/bin") or "/usr/bin/python3"  # the binary, not a pyenv shim
WORKLOADS = [
    ("C malloc/free loop", [loop, "2000000"]),
    ("python3", [python, "-c", "x = [b'x' * (600 + i % 400) for i in range(370000)]\ndel x"]),
    ("sqlite3", ["sqlite3", ":memory:", "create table t(a integer primary key, b text); with recursive c(x) as "
                 "(select 1 union all select x + 1 from c where x < 100000) insert into t select x, "
                 "printf('%0100d', x) from c; create index i on t(b); select count(*) from t;"]),
]


def out_bytes(prefix):
    return sum(os.path.getsize(f) for f in glob.glob(prefix + "*"))


def clean(prefix):
    for f in glob.glob(prefix + "*"):
        os.remove(f)


def native(cmd, i):
    return b.run(cmd), 0


def record(cmd, i):
    prefix = os.path.join(work, "r%d.trace" % i)
    r = b.run([launcher, "record", "--out", prefix, "--"] + cmd)
    size = out_bytes(prefix)
    m = re.search(r"trace: .*?: ([\d,]+) calls", "\n".join(r.lines))
    record.calls = int(m.group(1).replace(",", ""))
    clean(prefix)
    return r, size


def record_v4(cmd, i):
    """The same command under another build's launcher (RSSLAB_V4: e.g. main's target/rsslab, trace version 4)."""
    prefix = os.path.join(work, "q%d.trace" % i)
    r = b.run([os.environ["RSSLAB_V4"], "record", "--out", prefix, "--"] + cmd)
    size = out_bytes(prefix)
    clean(prefix)
    return r, size


def heaptrack(cmd, i):
    prefix = os.path.join(work, "h%d" % i)
    r = b.run(["heaptrack", "-o", prefix] + cmd)
    size = out_bytes(prefix)
    clean(prefix)
    return r, size


def massif(cmd, i):
    prefix = os.path.join(work, "m%d.out" % i)
    r = b.run(["valgrind", "--tool=massif", "--massif-out-file=" + prefix] + cmd)
    size = out_bytes(prefix)
    clean(prefix)
    return r, size


tools = [("native", native), ("rsslab record", record)]
if os.environ.get("RSSLAB_V4"):
    tools.append(("record (v4)", record_v4))
for name, f, exe in (("heaptrack", heaptrack, "heaptrack"), ("massif", massif, "valgrind")):
    if shutil.which(exe):
        tools.append((name, f))
    else:
        print("%s: not installed here" % name)
print("load average at the start: %s" % b.load(), flush=True)
for label, cmd in WORKLOADS:
    res = {t: [] for t, _ in tools}
    for i in range(rounds):
        order = tools[i % len(tools):] + tools[:i % len(tools)]
        for t, f in order:
            res[t].append(f(cmd, i))
    calls = record.calls
    print("%s (%.2f M calls):" % (label, calls / 1e6))
    for t, _ in tools:
        walls = [r.wall for r, _ in res[t]]
        ratios = [r.wall / n.wall for (r, _), (n, _) in zip(res[t], res["native"])]
        line = "  %-14s wall %s s" % (t, b.spread(walls))
        if t != "native":
            line += " (%s x native)" % b.spread(ratios, "%.1f")
            line += ", wrote %.2f MB per million calls" % (statistics.median(s for _, s in res[t]) / 1e6 / (calls / 1e6))
        line += ", largest RSS %.1f MB" % (statistics.median(r.maxrss_kb for r, _ in res[t]) / 1024)
        print(line, flush=True)
print("load average at the end: %s" % b.load())
