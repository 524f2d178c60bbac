#!/usr/bin/env bash
# What recording and replaying cost, measured side by side in one run:
#  1. recording: bench/alloc-heavy.c (N rounds of malloc + free) bare against the same program under
#     librsslab-record.so, alternating, PAIRS pairs; the wall-time ratio (median, min-max) and the
#     recorder's calls per second;
#  2. replay: `rsslab record` of alloc-heavy with REPLAY_N rounds (2 x REPLAY_N calls, 10 million by
#     default), then rsslab-probe --replay of that trace against the bare program making the same calls,
#     alternating, PAIRS pairs: calls per second of each, their ratio, and the replayer's peak RSS
#     (wait4's ru_maxrss) against the trace's size: bounded by the live blocks, not by the trace.
#   bench/record-replay.sh [PAIRS] [N] [REPLAY_N]      (default 5 pairs, N = 2,000,000, REPLAY_N = 5,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-5}
n=${2:-2000000}
replay_n=${3:-5000000}
jar=target/rsslab.jar
[ -f "$jar" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -Wall -O2 -o "$work/alloc-heavy" bench/alloc-heavy.c
lib=target/classes/native/linux-x86_64/librsslab-record.so
probe=target/classes/native/linux-x86_64/rsslab-probe
[ -f "$lib" ] && [ -f "$probe" ] || { echo "no $lib or $probe: build first" >&2; exit 2; }

# seconds of wall time and max RSS (kB) of a command, from GNU time's accounting of the finished process
measure() { /usr/bin/time -f '%e %M' -o "$work/time" "$@" > /dev/null; cat "$work/time"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minmax() { sort -g | awk 'NR==1{lo=$1} {hi=$1} END {print lo "-" hi}'; }

echo "1. recording alloc-heavy $n ($((2 * n)) calls), $pairs pairs, bare then recorded"
ratios=(); rates=()
for i in $(seq 1 "$pairs"); do
  read -r bare _ <<< "$(measure "$work/alloc-heavy" "$n")"
  mkdir -p "$work/rec$i"
  read -r rec _ <<< "$(measure env LD_PRELOAD="$PWD/$lib" RSSLAB_RECORD_DIR="$work/rec$i" "$work/alloc-heavy" "$n")"
  rm -rf "$work/rec$i"
  ratio=$(awk -v a="$rec" -v b="$bare" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  rate=$(awk -v c="$((2 * n))" -v t="$rec" 'BEGIN {printf "%.1f", (t > 0 ? c / t / 1e6 : 0)}')
  echo "  pair $i: bare ${bare} s, recorded ${rec} s: ${ratio}x, ${rate} M calls/s recorded"
  ratios+=("$ratio"); rates+=("$rate")
done
echo "  recording slowdown: median $(printf '%s\n' "${ratios[@]}" | median)x ($(printf '%s\n' "${ratios[@]}" | minmax)), median $(printf '%s\n' "${rates[@]}" | median) M calls/s (goal: at most 2x)"

echo "2. replaying alloc-heavy $replay_n ($((2 * replay_n)) calls)"
java -jar "$jar" record --out "$work/big.trace" -- "$work/alloc-heavy" "$replay_n" > "$work/record.txt"
cat "$work/record.txt"
size_mb=$(( $(stat -c %s "$work/big.trace") / 1048576 ))
ratios=(); rss=()
for i in $(seq 1 "$pairs"); do
  read -r bare _ <<< "$(measure "$work/alloc-heavy" "$replay_n")"
  read -r rep maxrss <<< "$(measure "$probe" --replay "$work/big.trace" --sample-every 1000000)"
  ratio=$(awk -v a="$bare" -v b="$rep" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
  echo "  pair $i: bare ${bare} s, replay ${rep} s ($(awk -v c="$((2 * replay_n))" -v t="$rep" 'BEGIN {printf "%.1f", c / t / 1e6}') M calls/s): replay speed ${ratio} of the bare loop's; replayer max RSS ${maxrss} kB"
  ratios+=("$ratio"); rss+=("$maxrss")
done
echo "  replay speed: median $(printf '%s\n' "${ratios[@]}" | median) of the bare loop's ($(printf '%s\n' "${ratios[@]}" | minmax); goal: at least 0.5)"
echo "  replayer max RSS: median $(printf '%s\n' "${rss[@]}" | median) kB for a ${size_mb} MiB trace of $((2 * replay_n)) calls"
