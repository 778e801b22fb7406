#!/usr/bin/env bash
# Two ways of running load_bench (two builds, or one build with two flags)
# compared in an order that cancels the machine's drift. load_bench needs
# both cores, so the two cannot run side by side as the matcher's
# side_by_side.sh does; run one after the other, whichever runs second in a
# pair meets a machine a minute busier (or calmer), and on this shared
# machine that moved a comparison by tens of per cent (docs/benchmarks.md,
# "Issue 18, session 12"). The runs go A B B A, B A A B, ... (BLOCKS blocks
# of four), so that a steady drift falls equally on both; the summary is
# the mean of each figure per phase and B/A.
#
#   bench/server/abba.sh 'A COMMAND' 'B COMMAND' [BLOCKS] [-- COMMON ARGS]
#   bench/server/abba.sh 'build/bench/server/load_bench --malloc_hugetlb=false' \
#       'build/bench/server/load_bench' 2 -- --scale=national --clients=8 --seconds=8 \
#       --brief --during_rematch=false --api_keys --client=generic --client_process
#
# Per run and phase: calls a second, p99 and the server's CPU per call (the
# server's process with --client_process, else the in-process "rest"; the
# blocking and generic clients print it). Figures only; nothing is judged.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
  exit 64
fi
a=$1 b=$2
shift 2
blocks=2
if [[ $# -gt 0 && $1 != -- ]]; then blocks=$1; shift; fi
if [[ $# -gt 0 ]]; then
  [[ $1 == -- ]] || { echo "abba: expected -- before the common arguments, got $1" >&2; exit 64; }
  shift
fi
if ! [[ $blocks =~ ^[1-9][0-9]*$ ]]; then
  echo "abba: BLOCKS must be a positive number, not $blocks" >&2
  exit 64
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# "PHASE|REQ_S|P99_MS|SERVER_MS" per phase of one run's output.
figures() {
  awk '/ req\/s / {
         phase = $0; sub(/ +[0-9]+ req\/s.*/, "", phase)
         for (i = 1; i <= NF; ++i) {
           if ($(i + 1) == "req/s") rate = $i
           if ($i == "p99") p99 = $(i + 1)
         }
         next
       }
       /CPU per call:/ && phase != "" {
         cpu = "-"
         if (match($0, /the server.s process [0-9.]+ ms/)) {
           cpu = substr($0, RSTART, RLENGTH); sub(/.* process /, "", cpu); sub(/ ms/, "", cpu)
         } else if (match($0, /the rest [0-9.]+ ms/)) {
           cpu = substr($0, RSTART, RLENGTH); sub(/the rest /, "", cpu); sub(/ ms/, "", cpu)
         }
         printf "%s|%s|%s|%s\n", phase, rate, p99, cpu
         phase = ""
       }' "$1"
}

order=()
for ((k = 0; k < blocks; ++k)); do
  if ((k % 2 == 0)); then order+=(A B B A); else order+=(B A A B); fi
done
printf '%-4s %-4s %-5s %-40s %9s %8s %10s\n' run tag load phase 'req/s' 'p99 ms' 'server ms'
run=0
for tag in "${order[@]}"; do
  run=$((run + 1))
  cmd=$a
  [[ $tag == B ]] && cmd=$b
  load=$(cut -d' ' -f1 /proc/loadavg)
  # shellcheck disable=SC2086  # the command is words on purpose
  if ! $cmd "$@" >"$out/run.$run" 2>&1; then
    echo "abba: run $run ($tag: $cmd) failed; its output:" >&2
    tail -5 "$out/run.$run" >&2
    exit 70
  fi
  figures "$out/run.$run" >"$out/fig.$run"
  if [[ ! -s $out/fig.$run ]]; then
    echo "abba: run $run ($tag): no req/s figures (is this load_bench?)" >&2
    exit 70
  fi
  while IFS='|' read -r phase rate p99 cpu; do
    printf '%-4s %-4s %-5s %-40s %9s %8s %10s\n' "$run" "$tag" "$load" "$phase" "$rate" "$p99" "$cpu"
    echo "$tag|$phase|$rate|$p99|$cpu" >>"$out/all"
  done <"$out/fig.$run"
done
echo
echo "means over the runs (A: $a; B: $b), B/A:"
awk -F'|' '{ key = $2; seen[key] = 1; n[$1, key]++
             r[$1, key] += $3; p[$1, key] += $4
             if ($5 != "-") { c[$1, key] += $5; nc[$1, key]++ } }
           END {
             for (key in seen) {
               ra = r["A", key] / n["A", key]; rb = r["B", key] / n["B", key]
               pa = p["A", key] / n["A", key]; pb = p["B", key] / n["B", key]
               line = sprintf("%-40s req/s %7.0f / %7.0f (B/A %.3f)   p99 %5.2f / %5.2f ms", key, ra, rb, rb / ra, pa, pb)
               if (nc["A", key] && nc["B", key]) {
                 ca = c["A", key] / nc["A", key]; cb = c["B", key] / nc["B", key]
                 line = line sprintf("   server %.3f / %.3f ms (B/A %.3f)", ca, cb, cb / ca)
               }
               print line
             }
           }' "$out/all" | sort
