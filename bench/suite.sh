#!/usr/bin/env bash
# The benchmark suite: every figure of docs/performance.md, each measured side by side in this one run
# (pairs alternated, medians and ranges), on this machine. Not part of the tests; asserts nothing.
#   bench/suite.sh [--quick] [--reproduce]
# Without options: the runs docs/performance.md was made of (about 75 min on 2 cores on a VM slow to
# fault pages in, where article-1 takes 4-5 min; far less where it takes 15-50 s).
# --quick: fewer pairs, article-1 scaled to 8 rounds, no 1000-run matrix (about 15 min there).
# --reproduce: also reproduce with default jobs against --jobs 1 (three pairs of two reproduce runs).
# Writes only under temporary folders; prints the machine first and the load average at each step.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=false
reproduce=false
for a in "$@"; do
  case "$a" in
    --quick) quick=true ;;
    --reproduce) reproduce=true ;;
    *) echo "usage: bench/suite.sh [--quick] [--reproduce]" >&2; exit 2 ;;
  esac
done
[ -f target/rsslab.jar ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -r)," \
  "glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2), $(java -version 2>&1 | head -1), $(date -u +%FT%TZ)"
step() { echo; echo "== $* ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))"; "$@"; }
if $quick; then
  step bench/startup.py 5
  step bench/diagnostics.py 6 2
  step bench/inspect.py 2
  step bench/try-sampler-cost.sh 2 10
  step bench/parent_memory.py 100
  step bench/churn-vs-article.sh 3
  step bench/record-replay.sh 2 1000000 2000000
  step bench/scheduler-bound.py 1 2
  step bench/overhead.py 1 8 native,jvm
else
  step bench/startup.py 10
  step bench/diagnostics.py 10 3
  step bench/inspect.py 3
  step bench/try-sampler-cost.sh 3 10
  step bench/parent_memory.py 100 300 1000
  step bench/churn-vs-article.sh 5
  step bench/record-replay.sh 3
  step bench/scheduler-bound.py 2 3
  step bench/overhead.py 2 20 native
  step bench/overhead.py 1 20 whole,jvm
fi
if $reproduce; then
  step bench/reproduce-speedup.sh 3
fi
echo; echo "== done $(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg)"
