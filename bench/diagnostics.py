#!/usr/bin/env python3
"""Diagnostics cost (issue 16): the per-round diagnostics (mmap counts from the chunk headers, mallinfo2,
getrusage and the clock around each phase: the explain fields) against the same child without them
(--no-explain), alternating, PAIRS pairs each: article-4 (5 short rounds) and article-1 scaled to ROUNDS
rounds. Wall and CPU time from wait4. Goal: at most 1% more.

   bench/diagnostics.py [PAIRS] [ROUNDS]      (default 15 pairs of article-4, 3 of article-1 in 5 rounds)
"""
import os
import sys

sys.dont_write_bytecode = True  # nothing written into the checkout
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as b  # noqa: E402

pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
b.require_build()
for scenario, n, extra in (("article-4", pairs, []), ("article-1", max(3, pairs // 5), ["--max-rounds", str(rounds)])):
    base = [b.PROBE, scenario, "--format", "records"] + extra
    off, on = b.pairs(n, lambda: b.run(base + ["--no-explain"]), lambda: b.run(base))
    print("%s%s, %d pairs (load %s): with/without diagnostics wall %s, CPU %s (goal <= 1.01)"
          % (scenario, "" if not extra else " (%d rounds)" % rounds, n, b.load(),
             b.spread(b.ratios([r.wall for r in on], [r.wall for r in off])),
             b.spread(b.ratios([r.cpu for r in on], [r.cpu for r in off]))))
