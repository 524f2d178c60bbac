#!/usr/bin/env bash
# What recording call sites costs (issue 28), side by side in one run: a tight malloc/free loop
# (bench/alloc-heavy.c, 2 x N calls) and python3 building and dropping JSON strings, each bare, under
# librsslab-record.so with RSSLAB_RECORD_STACKS=none, large and all, and under Debian's heaptrack; ROUNDS
# rounds in turn, the median wall time and its slowdown against bare; and the raw trace's bytes per
# million calls of each setting (the calls counted from --stacks none's 48-byte records).
#   bench/stacks-cost.sh [ROUNDS] [N]      (default 3 rounds, N = 500,000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
n=${2:-500000}
lib=$PWD/target/classes/native/linux-x86_64/librsslab-record.so
[ -f "$lib" ] || { echo "no $lib: build first (mvn -B package -DskipTests)" >&2; exit 2; }
command -v heaptrack > /dev/null || { echo "needs heaptrack (apt-get install heaptrack)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
gcc -Wall -O2 -o "$work/alloc-heavy" bench/alloc-heavy.c
py=(/usr/bin/python3 -c 'import json
for i in range(4000):
    s = [json.dumps({"k": list(range(i % 200)), "v": "x" * (i % 3000)}) for _ in range(20)]')

seconds() { /usr/bin/time -f '%e' -o "$work/time" "$@" > /dev/null 2>&1; cat "$work/time"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

run() { # name setting command...: one run's seconds; the raw files' bytes into $work/bytes.<name>.<setting>
  local name=$1 setting=$2; shift 2
  rm -rf "$work/rec" "$work/ht"; mkdir -p "$work/rec" "$work/ht"
  case $setting in
    bare) seconds "$@" ;;
    heaptrack) seconds heaptrack -o "$work/ht/out" "$@" ;;
    *) seconds env LD_PRELOAD="$lib" RSSLAB_RECORD_DIR="$work/rec" RSSLAB_RECORD_STACKS="$setting" "$@"
       du -sb "$work/rec" | cut -f1 > "$work/bytes.$name.$setting" ;;
  esac
}

for prog in loop python3; do
  if [ $prog = loop ]; then cmd=("$work/alloc-heavy" "$n"); else cmd=("${py[@]}"); fi
  for setting in bare none large all heaptrack; do : > "$work/t.$prog.$setting"; done
  for r in $(seq 1 "$rounds"); do
    for setting in bare none large all heaptrack; do
      run $prog $setting "${cmd[@]}" >> "$work/t.$prog.$setting"
    done
  done
  bare=$(median < "$work/t.$prog.bare")
  calls=$(awk '{printf "%d", $1 / 48}' "$work/bytes.$prog.none")
  echo "$prog (${cmd[*]:0:2}...): about $calls calls; bare median ${bare} s over $rounds rounds"
  for setting in none large all heaptrack; do
    t=$(median < "$work/t.$prog.$setting")
    size=""
    [ -f "$work/bytes.$prog.$setting" ] && size=$(awk -v b="$(cat "$work/bytes.$prog.$setting")" -v c="$calls" \
      'BEGIN {printf ", raw trace %.1f MB per million calls", b / c}')
    awk -v s="$setting" -v t="$t" -v b="$bare" -v all="$(tr '\n' ' ' < "$work/t.$prog.$setting")" -v z="$size" \
      'BEGIN {printf "  %-10s median %6.2f s (%s): %5.1fx bare%s\n", s, t, all, (b > 0 ? t / b : 0), z}'
  done
done
