#!/usr/bin/env bash
# Issue 23's speed goal: a multi-threaded trace replayed with its threads in at most 3 times the one-thread
# replay's time of the same trace, larson's 75 M calls in under a minute. bench/workloads/larson.c (larson-like,
# see the file) recorded once with THREADS SLOTS ROUNDS GENERATIONS (default 4 5000 100000 94: 75.2 M calls,
# 381 threads, 3.6 GB of trace), then rsslab-probe --replay of it with its threads and with --threads 1,
# alternating, PAIRS pairs: wall and CPU seconds (GNU time), calls per second, and the ratio of each pair.
#   bench/replay-threads.sh [PAIRS] [THREADS SLOTS ROUNDS GENERATIONS]      (default 3 pairs)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
args=("${@:2}")
[ ${#args[@]} -eq 0 ] && args=(4 5000 100000 94)
probe=target/classes/native/linux-x86_64/rsslab-probe
[ -f target/rsslab.jar ] && [ -f "$probe" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -Wall -O2 -pthread -o "$work/larson" bench/workloads/larson.c
java -jar target/rsslab.jar record --out "$work/larson.trace" -- "$work/larson" "${args[@]}" 2>&1 | tail -1
measure() { /usr/bin/time -f '%e %U %S' -o "$work/time" "$probe" --replay "$work/larson.trace" --sample-every 1000000000 "$@" > "$work/out"; read -r w u s < "$work/time"; echo "$w $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratios=(); walls=()
for i in $(seq 1 "$pairs"); do
  read -r tw tc <<< "$(measure)"
  calls=$(grep -o 'events=[0-9]*' "$work/out" | tail -1 | cut -d= -f2)
  arenas=$(grep '^arenas' "$work/out" | tr '\t' ' ')
  read -r ow oc <<< "$(measure --threads 1)"
  ratio=$(awk -v a="$tw" -v b="$ow" 'BEGIN {printf "%.2f", a / b}')
  echo "  pair $i: with its threads ${tw} s wall, ${tc} s CPU ($(awk -v c="$calls" -v t="$tw" 'BEGIN {printf "%.1f", c / t / 1e6}') M calls/s); one thread ${ow} s wall, ${oc} s CPU; ${ratio}x; ${arenas}"
  ratios+=("$ratio"); walls+=("$tw")
done
echo "  $calls calls: with its threads median $(printf '%s\n' "${walls[@]}" | median) s (goal: under 60), $(printf '%s\n' "${ratios[@]}" | median)x the one-thread replay (goal: at most 3); load $(cut -d' ' -f1-3 /proc/loadavg)"
