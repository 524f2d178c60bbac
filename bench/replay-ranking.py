#!/usr/bin/env python3
"""Does replay rank the variants as try does? (issue 23)

For each workload of bench/workloads/ (small versions of mimalloc-bench's programs, each file says which it
imitates): `rsslab try` of the program under the variants, --repeat R; `rsslab record` once; `rsslab replay`
of the trace under the same variants, --repeat R. The figure compared is "before exit" (before_exit_rss_kb
of both runs.csv: the VmRSS where the program called exit() or returned from main, read inside it by try,
at the trace's exit mark by replay). A pair of variants is decided by the program when its R runs of one lie
wholly below the other's (min-max disjoint) and the medians differ by at least 5% and 0.5 MiB; replay agrees
on a decided pair when its medians are in the same order. Prints one table row per workload and variant and
the pairs; nothing is asserted.
The wall times beside them: a replay slower than its program gives an allocator that returns memory by time
(jemalloc's decay) that much more time per call.
    bench/replay-ranking.py [--repeat R] [--workloads larson,cfrac,...] [--out DIR] [--reuse]
(--reuse: the folders already in DIR are read again, not run again)
"""
import argparse
import csv
import itertools
import os
import statistics
import subprocess
import sys
import tempfile

from benchlib import JAR, ROOT, require_build

VARIANTS = ["baseline", "trim-threshold", "mmap-threshold", "arena-max-2", "jemalloc"]
# name: arguments (the defaults of each program, larson scaled to 8 M calls, malloc-large to 100 blocks)
WORKLOADS = {
    "larson": ["4", "5000", "100000", "10"],
    "cfrac": ["1000000"],
    "mstress": ["4", "20", "25", "50"],
    "rptest": ["4", "100", "2000", "20"],
    "malloc-large": ["100"],  # malloc-large.cpp makes 500: 93-120 s a run under trim-threshold here
}


def rsslab(*args):
    p = subprocess.run(["java", "-jar", JAR, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit("rsslab %s failed (%d): %s" % (" ".join(args), p.returncode, p.stderr[-2000:]))
    return p.stdout


def before_exit(folder):
    """variant -> the before_exit_rss_kb of its runs (MiB), and variant -> their wall seconds."""
    out, wall = {}, {}
    with open(os.path.join(folder, "runs.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] == "ok" and row["before_exit_rss_kb"]:
                out.setdefault(row["variant"], []).append(int(row["before_exit_rss_kb"]) / 1024)
                wall.setdefault(row["variant"], []).append(float(row["wall_s"]))
    return out, wall


def decided(a, b):
    """-1: a keeps less than b, beyond the program's own spread; 1: more; 0: not decided."""
    ma, mb = statistics.median(a), statistics.median(b)
    if abs(ma - mb) < max(0.05 * max(ma, mb), 0.5):
        return 0
    if max(a) < min(b):
        return -1
    if min(a) > max(b):
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--out")
    ap.add_argument("--reuse", action="store_true")
    a = ap.parse_args()
    require_build()
    work = a.out or tempfile.mkdtemp(prefix="replay-ranking-")
    os.makedirs(work, exist_ok=True)
    print("| workload | variant | try: before exit, MiB (median, min-max) | replay: before exit, MiB | try rank "
          "| replay rank | wall s, try / replay |")
    print("|---|---|---|---|---|---|---|")
    summary = []
    for name in a.workloads.split(","):
        exe = os.path.join(work, name)
        subprocess.run(["gcc", "-O2", "-pthread", "-o", exe, os.path.join(ROOT, "bench", "workloads", name + ".c")],
                       check=True)
        cmd = [exe, *WORKLOADS[name]]
        tried, trace, replayed = (os.path.join(work, name + s) for s in ("-try", ".trace", "-replay"))
        if not (a.reuse and os.path.exists(os.path.join(replayed, "runs.csv"))):
            for d in (tried, replayed):
                subprocess.run(["rm", "-rf", d], check=True)
            rsslab("try", "--quiet", "--repeat", str(a.repeat), "--variant", ",".join(VARIANTS), "--out", tried, "--",
                   *cmd)
            rsslab("record", "--out", trace, "--", *cmd)
            rsslab("replay", "--quiet", "--repeat", str(a.repeat), "--variant", ",".join(VARIANTS), "--out",
                   replayed, trace)
        (t, tw), (r, rw) = before_exit(tried), before_exit(replayed)
        rank_t = {v: i + 1 for i, v in enumerate(sorted(VARIANTS, key=lambda v: statistics.median(t[v])))}
        rank_r = {v: i + 1 for i, v in enumerate(sorted(VARIANTS, key=lambda v: statistics.median(r[v])))}
        for v in VARIANTS:
            print("| %s | %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %d | %d | %.1f / %.1f |" % (
                name, v, statistics.median(t[v]), min(t[v]), max(t[v]),
                statistics.median(r[v]), min(r[v]), max(r[v]), rank_t[v], rank_r[v],
                statistics.median(tw[v]), statistics.median(rw[v])))
        agree, pairs, wrong = 0, 0, []
        for x, y in itertools.combinations(VARIANTS, 2):
            d = decided(t[x], t[y])
            if d == 0:
                continue
            pairs += 1
            if (statistics.median(r[x]) - statistics.median(r[y])) * d > 0:
                agree += 1
            else:
                wrong.append("%s %s %s" % (x, "<" if d < 0 else ">", y))
        summary.append("%s: replay agrees on %d of the %d pairs the program decides%s" % (
            name, agree, pairs, "" if not wrong else " (not: " + ", ".join(wrong) + ")"))
        sys.stdout.flush()
    print()
    for s in summary:
        print(s)
    print("(folders in %s)" % work)


if __name__ == "__main__":
    main()
