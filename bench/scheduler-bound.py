#!/usr/bin/env python3
"""The bound the machine sets on the scheduler (issue 16): two article-1 children side by side against one
alone, alternating, PAIRS pairs. bound = (wall of the two together) / (2 x wall of one alone): 0.5 if the
two cores and the memory system were independent, 1.0 if running two at once gained nothing. reproduce's
ratio (bench/reproduce-speedup.sh) cannot beat it.

   bench/scheduler-bound.py [PAIRS] [ROUNDS]      (default 3 pairs of the article's 20 rounds)
"""
import os
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
b.require_build()
cmd = [b.PROBE, "article-1", "--format", "records", "--no-explain"] + ([] if rounds == 20 else
                                                                       ["--max-rounds", str(rounds)])


def alone():
    return b.run(cmd).wall


def together():
    t0 = time.monotonic()
    ps = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL) for _ in range(2)]
    for p in ps:
        p.wait()
    return time.monotonic() - t0


a, t = b.pairs(pairs, alone, together, show=lambda x, y: "one alone %.1f s, two together %.1f s, bound %.3f"
               % (x, y, y / (2 * x)))
print("bound (two together / twice one alone): %s (load %s)" % (b.spread([y / (2 * x) for x, y in zip(a, t)]),
                                                               b.load()))
