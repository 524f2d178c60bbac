#!/usr/bin/env bash
# The cost of rsslab try's sampling: the sampler thread's own CPU time over the run's wall time, as a share
# of one core, at the default interval (100 ms), sampling `sleep SECONDS` (one process; the cost grows with the
# number of processes in the tree). Several runs, each figure and the median.
#   bench/try-sampler-cost.sh [RUNS] [SECONDS]      (default 5 runs of 30 s)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
seconds=${2:-30}
jar=target/rsslab.jar
[ -f "$jar" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pcts=()
for i in $(seq 1 "$runs"); do
  java -jar "$jar" try --quiet --out "$work/$i" -- sleep "$seconds" > /dev/null
  # sampler_cpu_s, sampler_cpu_pct and samples, by column name.
  line=$(python3 -c 'import csv,sys; r=next(csv.DictReader(open(sys.argv[1]))); print(r["samples"], r["sampler_cpu_s"], r["sampler_cpu_pct"])' "$work/$i/runs.csv")
  read -r samples cpu pct <<< "$line"
  echo "run $i: $samples samples in ${seconds} s, sampler CPU ${cpu} s = ${pct}% of a core"
  pcts+=("$pct")
done
median=$(printf '%s\n' "${pcts[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
echo "median: ${median}% of a core at 100 ms (goal: under 1%)"
