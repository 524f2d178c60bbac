#!/usr/bin/env bash
# Measures reproduce with the default --jobs (the number of cores) against --jobs 1,
# side by side in one session, alternating which goes first, and prints the medians
# and their ratio. The goal (README, Performance): ratio <= 0.6 on a 2-core machine.
#
#   bench/reproduce-speedup.sh [PAIRS]     PAIRS of runs, default 3 (about 3.5 min a pair)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-3}
jar=target/rsslab.jar
[ -f "$jar" ] || mvn -q -B package -DskipTests
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One reproduce; prints its wall seconds. Exit 3 (not reproduced) still counts as a run.
one() {
  local label=$1; shift
  local t0 t1 rc=0
  t0=$(date +%s.%N)
  java -jar "$jar" reproduce --quiet --out "$work/$label" "$@" > "$work/$label.out" 2>&1 || rc=$?
  t1=$(date +%s.%N)
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 3 ]; then
    echo "reproduce $* failed ($rc):" >&2; cat "$work/$label.out" >&2; exit 1
  fi
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "cores: $(nproc); pairs: $pairs"
: > "$work/seq"; : > "$work/par"
for i in $(seq "$pairs"); do
  if [ $((i % 2)) -eq 1 ]; then
    s=$(one "seq$i" --jobs 1); p=$(one "par$i")
  else
    p=$(one "par$i"); s=$(one "seq$i" --jobs 1)
  fi
  echo "$s" >> "$work/seq"; echo "$p" >> "$work/par"
  printf 'pair %d: --jobs 1 %.1f s, default jobs %.1f s, ratio %.3f\n' "$i" "$s" "$p" "$(awk -v a="$p" -v b="$s" 'BEGIN {print a / b}')"
done
ms=$(median < "$work/seq"); mp=$(median < "$work/par")
printf 'median: --jobs 1 %.1f s, default jobs %.1f s, ratio %.3f (goal <= 0.6)\n' "$ms" "$mp" \
  "$(awk -v a="$mp" -v b="$ms" 'BEGIN {print a / b}')"
