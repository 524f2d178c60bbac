#!/usr/bin/env bash
# The benchmark suite: every figure of docs/performance.md, each measured side by side in this one run
# (pairs alternated, medians and ranges), on this machine. Not part of the tests; asserts nothing.
#   bench/suite.sh [--quick]
# --quick: fewer pairs and article-1 scaled to 5 rounds (about 15 min on 2 cores); without it, the
# figures as published (about 45 min, more on a machine slow to fault pages in).
# Writes only under a temporary folder; prints the machine first and the load average between steps.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
[ "${1:-}" = "--quick" ] && quick=true
[ -f target/rsslab.jar ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)," \
  "glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2), $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg)"
step() { echo; echo "== $*"; "$@"; echo "-- load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
if $quick; then
  step bench/overhead.py 3 5
  step bench/startup.py 10
  step bench/diagnostics.py 10 3
  step bench/inspect.py 3
  step bench/parent_memory.py 100 300
  step bench/churn-vs-article.sh 5
  step bench/try-sampler-cost.sh 3 10
  step bench/record-replay.sh 3 1000000 2000000
else
  step bench/overhead.py 3 20
  step bench/startup.py 15
  step bench/diagnostics.py 15 5
  step bench/inspect.py 5
  step bench/parent_memory.py 100 300 1000
  step bench/churn-vs-article.sh 9
  step bench/try-sampler-cost.sh 5 30
  step bench/record-replay.sh 5
  step bench/reproduce-speedup.sh 3
  step bench/scheduler-bound.py 3
fi
