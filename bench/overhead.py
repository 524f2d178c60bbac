#!/usr/bin/env python3
"""Overhead of a measured run (issue 16, first target).

1. The native host's child, `rsslab-probe article-1 --format records` (the child exactly as rsslab run starts
   it, every explain reading on), against bench/bare-article-1.c, the same loop with no instrumentation but a
   read of VmRSS after each round: PAIRS pairs alternating, wall, system and CPU time from wait4, their ratios
   (median, min-max), and VmRSS after the frees of every round compared (the largest difference of a pair,
   in % of the bare program's). Goal: wall and system ratio <= 1.01, RSS equal within 0.5%.
2. With ROUNDS = 20 (the article's): the whole command `java -jar rsslab.jar run article-1 --format csv`
   (parent JVM, loader read-back, reaper, child) against the bare program.
3. The jvm host's child (java ... ForkedMain article-1): its JVM's start-up (to the child's first record)
   shown apart from the loop (first record to 'done'), the loop against the bare program.

   bench/overhead.py [PAIRS] [ROUNDS] [native,whole,jvm]      (default 3 pairs of the article's 20 rounds, all
   three parts)
"""
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
sections = sys.argv[3].split(",") if len(sys.argv) > 3 else ["native", "whole", "jvm"]
b.require_build()
work = tempfile.mkdtemp()
bare = os.path.join(work, "bare-article-1")
subprocess.run(["gcc", "-Wall", "-O2", "-fno-builtin-malloc", "-fno-builtin-free", "-o", bare,
                os.path.join(b.ROOT, "bench", "bare-article-1.c")], check=True)
scaled = [] if rounds == 20 else ["--max-rounds", str(rounds)]


def bare_run():
    return b.run([bare, str(rounds)])


def probe_run():
    return b.run([b.PROBE, "article-1", "--format", "records"] + scaled)


def kept_bare(r):
    base = int(r.lines[0].split()[1])
    return [int(line.split()[1]) - base for line in r.lines[1:]]


def kept_probe(r):
    rec = b.records(r.lines)
    base = int(next(kv for tag, kv in rec if tag == "base")["rss_kb"])
    return [int(kv["rss_after_free_kb"]) - base for tag, kv in rec if tag == "round"]


def kept_diff_kb(x, y):
    """The largest difference, over the rounds, of what each kept after the frees (VmRSS less its own base)."""
    return max(abs(p - q) for p, q in zip(kept_probe(y), kept_bare(x)))


def rss_diff(x, y):
    """That difference in % of what the bare program kept, over the rounds where it kept more than 100 MB
    (the article's retention; before it both keep a few hundred kB and a percentage means nothing)."""
    d = [abs(p - q) / q * 100 for p, q in zip(kept_probe(y), kept_bare(x)) if q > 100 * 1024]
    return max(d) if d else float("nan")


def native():
    print("1. native child against the bare loop: article-1, %d rounds, %d pairs (load %s)" % (rounds, pairs, b.load()))
    xa, ya = b.pairs(pairs, bare_run, probe_run, show=lambda x, y: "bare %.2f s (sys %.2f), probe %.2f s (sys %.2f),"
                     " kept after the frees: largest difference %d kB, %.2f%% of what was kept"
                     % (x.wall, x.sys, y.wall, y.sys, kept_diff_kb(x, y), rss_diff(x, y)))
    print("   wall ratio probe/bare: %s (goal <= 1.01)" % b.spread(b.ratios([y.wall for y in ya], [x.wall for x in xa])))
    print("   system time ratio:     %s (goal <= 1.01)" % b.spread(b.ratios([y.sys for y in ya], [x.sys for x in xa])))
    print("   CPU time ratio:        %s" % b.spread(b.ratios([y.cpu for y in ya], [x.cpu for x in xa])))
    print("   kept after the frees (VmRSS less the base), largest difference of a round: %s kB, %s %% of what the "
          "bare program kept where it kept over 100 MB (goal <= 0.5%%)"
          % (b.spread([kept_diff_kb(x, y) for x, y in zip(xa, ya)], "%.0f"),
             b.spread([rss_diff(x, y) for x, y in zip(xa, ya)], "%.2f")))


def whole():
    print("2. the whole command `rsslab run article-1 --format csv` against the bare loop, %d pairs" % pairs)
    xc, yc = b.pairs(pairs, bare_run, lambda: b.run(["java", "-jar", b.JAR, "run", "article-1", "--format", "csv"]),
                     show=lambda x, y: "bare %.2f s, rsslab run %.2f s" % (x.wall, y.wall))
    print("   wall ratio: %s; CPU ratio: %s" % (b.spread(b.ratios([y.wall for y in yc], [x.wall for x in xc])),
                                               b.spread(b.ratios([y.cpu for y in yc], [x.cpu for x in xc]))))


def jvm():
    print("3. jvm host's child (ForkedMain), %d pairs" % pairs)
    cmd = ["java", "-cp", b.JAR, "io.rsslab.fork.ForkedMain", "article-1", "--format", "records"] + scaled
    xj, yj = b.pairs(pairs, bare_run, lambda: b.run(cmd),
                     show=lambda x, y: "bare %.2f s; jvm child %.2f s = start-up %.3f s + loop %.2f s"
                     % (x.wall, y.wall, y.first("rsslab"), y.first("done") - y.first("base")))
    print("   JVM start-up to the first record: %s s" % b.spread([y.first("rsslab") for y in yj]))
    print("   loop (first record to done) against the bare loop's whole run: %s"
          % b.spread(b.ratios([y.first("done") - y.first("base") for y in yj], [x.wall for x in xj])))


if "native" in sections:
    native()
if "whole" in sections and rounds == 20:
    whole()
if "jvm" in sections:
    jvm()
print("   load average at the end: %s" % b.load())
