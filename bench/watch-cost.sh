#!/usr/bin/env bash
# rsslab watch's own cost (docs/performance.md, "watch"): 20 holders (src/test/resources/inspect/holder.c,
# `holder bins`, ~52 MiB each), `rsslab watch --match NAME --interval INTERVAL --duration SECONDS`:
# its CPU (utime + stime) and VmRSS / VmHWM sampled every 5 s, the holders' VmRSS before and after.
#   bench/watch-cost.sh [INTERVAL [SECONDS [JAR]]]     (defaults: 10 600 target/rsslab.jar)
#   WATCH_JAVA_OPTIONS='-Xmx128m ...' bench/watch-cost.sh 60 600
set -euo pipefail
interval=${1:-10} seconds=${2:-600} jar=$(realpath "${3:-target/rsslab.jar}")
src=$(realpath "$(dirname "$0")/../src/test/resources/inspect/holder.c")
d=$(mktemp -d /tmp/watch-cost.XXXXXX); cd "$d"
name=wcost$$
gcc -O2 -pthread -o $name "$src"
# The holders outlive the watch by 5 minutes: on a loaded machine their start and the JVM's take a while.
for i in $(seq 1 20); do ( sleep $((seconds + 300)) | ./$name bins > out$i ) & done
for i in $(seq 1 20); do
  for _ in $(seq 1 120); do grep -q ready out$i 2>/dev/null && break; sleep 0.5; done
done
pids=(); for i in $(seq 1 20); do pids+=("$(awk '{print $2}' out$i)"); done
for p in "${pids[@]}"; do echo "$p $(awk '/VmRSS/{print $2}' /proc/$p/status)"; done > before.txt
# The JVM's options as deploy/ gives them (WATCH_JAVA_OPTIONS to compare others: the deploy files before
# 2026-12-02 had -Xmx128m -XX:+UseSerialGC alone).
java ${WATCH_JAVA_OPTIONS:--Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1} -jar "$jar" watch --match $name --interval "$interval" --duration "$seconds" \
  --out "$d/folder" 2> watch.log &
w=$!
while kill -0 $w 2>/dev/null; do
  echo "$(date +%s.%N) $(awk '{print $14, $15}' /proc/$w/stat 2>/dev/null) $(awk '/VmRSS/{r=$2} /VmHWM/{h=$2} END{print r, h}' /proc/$w/status 2>/dev/null)" >> cpu.txt
  sleep 5
done
wait $w || true
for p in "${pids[@]}"; do echo "$p $(awk '/VmRSS/{print $2}' /proc/$p/status)"; done > after.txt
hz=$(getconf CLK_TCK)
# CPU after the first 30 s (the JVM's start and the first walks) to the end, and over the whole run.
awk -v hz="$hz" -v iv="$interval" 'NF>=5 { t[NR]=$1; c[NR]=($2+$3)/hz; r[NR]=$4; h[NR]=$5; n=NR }
  END { for (i=1;i<=n;i++) if (t[i]-t[1] >= 30) { s=i; break }
        printf "interval %s s: %.1f s watched; CPU %.2f s in all = %.2f%% of a core; after the first 30 s %.2f%% of a core\n",
          iv, t[n]-t[1], c[n], 100*c[n]/(t[n]-t[1]), 100*(c[n]-c[s])/(t[n]-t[s]);
        printf "VmRSS at 30 s %d kB, at the end %d kB; VmHWM %d kB\n", r[s], r[n], h[n] }' cpu.txt
awk -F, 'NR>1 { n[$6]++ } END { for (k in n) printf "%s %d  ", k, n[k]; print "(rows of watch.csv by status)" }' folder/watch.csv
if cmp -s before.txt after.txt; then echo "holders' VmRSS: unchanged (20 of 20)"; else echo "holders' VmRSS changed:"; paste before.txt after.txt; fi
echo "kept in $d"
