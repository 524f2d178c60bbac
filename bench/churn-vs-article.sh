#!/usr/bin/env bash
# The cost of churn's generality: the probe running article-4 (the article's loop, scenario.c) against the
# probe running the same calls as the churn scenario file article-4-churn (churn.c: parameters, bookkeeping,
# lock-step phases), side by side, alternating A and B, PAIRS pairs; wall and CPU time from wait4 (the
# reaper's accounting), the ratio churn/article of each pair, the median and the range; and each pair's
# VmRSS after the last frees, which must agree.
#   bench/churn-vs-article.sh [PAIRS]      (default 9)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-9}
probe=target/classes/native/linux-x86_64/rsslab-probe
[ -x "$probe" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
# The canonical text, as plan.Churn writes it (rsslab run prints it in its first line).
name=$(java -jar target/rsslab.jar run article-4-churn --format table 2>/dev/null | awk 'NR == 1 {print $1}')
python3 - "$probe" "$name" "$pairs" <<'PY'
import os, statistics, subprocess, sys, time
probe, churn, pairs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(scenario):
    t = time.monotonic()
    p = subprocess.Popen([probe, scenario, "--no-explain"], stdout=subprocess.PIPE, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    last = [l for l in out.splitlines() if l.startswith("round")][-1]
    rss = int(dict(f.split("=", 1) for f in last.split("\t")[1:])["rss_after_free_kb"])
    return wall, ru.ru_utime + ru.ru_stime, rss
wall, cpu = [], []
for i in range(pairs):
    a = run("article-4")
    b = run(churn)
    wall.append(b[0] / a[0]); cpu.append(b[1] / a[1])
    print(f"pair {i+1}: article {a[0]:.3f} s ({a[1]:.3f} s CPU, {a[2]} kB after the frees), "
          f"churn {b[0]:.3f} s ({b[1]:.3f} s CPU, {b[2]} kB)")
print(f"churn/article wall: median {statistics.median(wall):.3f} ({min(wall):.3f}-{max(wall):.3f}); "
      f"CPU: median {statistics.median(cpu):.3f} ({min(cpu):.3f}-{max(cpu):.3f}); {pairs} pairs, alternating")
PY
