#!/usr/bin/env bash
# Issue #18's speed targets, measured and judged in one command: each
# figure RUNS times (the machine is shared and noisy: one run says little),
# every run printed with the load average before it, then one line per
# target with the median of the runs, the target, and in how many runs it
# was met.
#
#   bash bench/targets.sh                      # national, 3 runs, no peers (~6 minutes)
#   bash bench/targets.sh --runs=5 --peers     # also PostgreSQL / jobmatch (~2 minutes a run more)
#   bash bench/targets.sh --scale=0.01 --runs=1 --seconds=0.5 --queries=200   # a quick look
#
# Targets (issue #18; they were set for national scale, so at any other
# scale the verdicts say little):
#   a seeker's top-20 in-process (match_bench --live_queries): p50 <= 100 us, p99 <= 500 us
#   a vacancy's top-20 in-process: p50 <= 300 us, p99 <= 2000 us
#   brief seeker queries over gRPC, 8 clients on the same cores, API keys
#     (load_bench --brief --api_keys --client=generic): >= 5000/s, p99 <= 5 ms
#   brief vacancy queries, the same: >= 2000/s, p99 <= 10 ms
#   the nightly rematch (match_bench --benchmark_filter=Rematch): <= 15 s, peak RSS <= 1500 MB
#   with --peers, PostgreSQL's median / jobmatch's median per query (bench/peers/run.sh): >= 200
#
# Uses the binaries of an existing Release build (BUILD_DIR, default build/).
# Exits 0 whatever the verdicts (they are figures, not tests); 70 when a
# bench fails or prints no figures, naming it.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3 scale=national seconds=8 queries=3000 peers=0
for arg in "$@"; do
  case "$arg" in
    --runs=*) runs=${arg#--runs=} ;;
    --scale=*) scale=${arg#--scale=} ;;
    --seconds=*) seconds=${arg#--seconds=} ;;
    --queries=*) queries=${arg#--queries=} ;;
    --peers) peers=1 ;;
    *) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
  esac
done
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "targets: --runs must be a whole number from 1, not '$runs'" >&2
  exit 64
fi
build=${BUILD_DIR:-build}
mb=$build/bench/matcher/match_bench
lb=$build/bench/server/load_bench
for bin in "$mb" "$lb"; do
  [[ -x $bin ]] || { echo "targets: $bin: not built (cmake --build $build -j2)" >&2; exit 66; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

load() { cut -d' ' -f1 /proc/loadavg; }
# run NAME COMMAND...: its output in $out/NAME; names the bench if it fails.
run() {
  local name=$1
  shift
  if ! "$@" >"$out/$name" 2>&1; then
    echo "targets: $name failed ($*); its last lines:" >&2
    tail -5 "$out/$name" >&2
    exit 70
  fi
}
# "TARGET|VALUE" lines, one per figure of every run, for the summary.
figures=$out/figures
: >"$figures"
# record RUN LOAD BENCH KEY LABEL VALUE: one figure of one run, shown and kept
# under KEY; VALUE must be a number, else BENCH printed no such figure.
record() {
  [[ $6 =~ ^[0-9.]+$ ]] || { echo "targets: $3 printed no $5" >&2; exit 70; }
  printf '%-4s %-5s %-48s %12s\n' "$1" "$2" "$5" "$6"
  echo "$4|$6" >>"$figures"
}

printf '%-4s %-5s %-48s %12s\n' run load figure value
for ((r = 1; r <= runs; ++r)); do
  l=$(load)
  run "match.$r" "$mb" --scale="$scale" --live_queries="$queries" --benchmark_filter=NONE
  for side in seeker vacancy; do
    line=$(grep "^live_queries $side:" "$out/match.$r" || true)
    p50=$(sed -n 's/.*cpu median \([0-9.]*\) us.*/\1/p' <<<"$line")
    p99=$(sed -n 's/.*, p99 \([0-9.]*\),.*/\1/p' <<<"$line")
    record "$r" "$l" match_bench "$side.p50" "$side top-20 in-process p50 (us)" "$p50"
    record "$r" "$l" match_bench "$side.p99" "$side top-20 in-process p99 (us)" "$p99"
  done
  l=$(load)
  run "load.$r" "$lb" --scale="$scale" --clients=8 --seconds="$seconds" --brief \
    --during_rematch=false --api_keys --client=generic
  for phase in TopVacanciesForSeeker TopSeekersForVacancy; do
    line=$(grep "^$phase " "$out/load.$r" || true)
    rate=$(awk '{ for (i = 1; i < NF; ++i) if ($(i + 1) == "req/s") print $i }' <<<"$line")
    p99=$(awk '{ for (i = 1; i < NF; ++i) if ($i == "p99") print $(i + 1) }' <<<"$line")
    record "$r" "$l" load_bench "$phase.rate" "$phase over gRPC (req/s)" "$rate"
    record "$r" "$l" load_bench "$phase.p99" "$phase over gRPC p99 (ms)" "$p99"
  done
  if ((peers)); then
    l=$(load)
    run "peers.$r" bash bench/peers/run.sh --scales="$scale"
    for query in vacancies_for_seeker seekers_for_vacancy; do
      ratio=$(grep "^RESULT scale=$scale system=PostgreSQL query=$query " "$out/peers.$r" |
        sed -n 's/.* ratio_median=\([0-9.]*\) .*/\1/p')
      record "$r" "$l" bench/peers/run.sh "peers.$query" "PostgreSQL / jobmatch, $query" "$ratio"
    done
  fi
done
# The rematch: RUNS repetitions in one process (its data generated once).
l=$(load)
run rematch "$mb" --scale="$scale" --benchmark_filter=Rematch --benchmark_repetitions="$runs"
# Google Benchmark writes counters with an SI suffix (13.277, 1.35505k,
# 23.3672m); each repetition's line, not the aggregates': "FULL_RUN_S PEAK_RSS_MB".
awk '
  function num(v,   u) {
    u = substr(v, length(v))
    if (u == "k") return substr(v, 1, length(v) - 1) * 1e3
    if (u == "M") return substr(v, 1, length(v) - 1) * 1e6
    if (u == "m") return substr(v, 1, length(v) - 1) * 1e-3
    if (u == "u") return substr(v, 1, length(v) - 1) * 1e-6
    return v + 0
  }
  /^Rematch\// && $1 !~ /_(mean|median|stddev|cv)$/ {
    s = m = "-"
    for (i = 1; i <= NF; ++i) {
      if ($i ~ /^full_run_s=/) { split($i, kv, "="); s = sprintf("%.2f", num(kv[2])) }
      if ($i ~ /^peak_rss_mb=/) { split($i, kv, "="); m = sprintf("%.0f", num(kv[2])) }
    }
    print s, m
  }' "$out/rematch" >"$out/rematch.figures"
[[ -s $out/rematch.figures ]] || { echo "targets: match_bench printed no Rematch line" >&2; exit 70; }
r=0
while read -r s m; do
  r=$((r + 1))
  record "$r" "$l" match_bench rematch.s "nightly rematch, full run (s)" "$s"
  record "$r" "$l" match_bench rematch.rss "nightly rematch, peak RSS (MB)" "$m"
done <"$out/rematch.figures"

echo
echo "issue #18's targets at scale $scale, $runs run(s) each (median of the runs; met in how many):"
[[ $scale == national ]] || echo "  (the targets are for national scale: at $scale the verdicts say little)"
# KEY|LABEL|OP|LIMIT|UNIT: OP le (at most) or ge (at least).
targets=(
  "seeker.p50|seeker top-20 in-process, p50|le|100|us"
  "seeker.p99|seeker top-20 in-process, p99|le|500|us"
  "vacancy.p50|vacancy top-20 in-process, p50|le|300|us"
  "vacancy.p99|vacancy top-20 in-process, p99|le|2000|us"
  "TopVacanciesForSeeker.rate|seeker queries over gRPC|ge|5000|/s"
  "TopVacanciesForSeeker.p99|seeker queries over gRPC, p99|le|5|ms"
  "TopSeekersForVacancy.rate|vacancy queries over gRPC|ge|2000|/s"
  "TopSeekersForVacancy.p99|vacancy queries over gRPC, p99|le|10|ms"
  "rematch.s|nightly rematch, full run|le|15|s"
  "rematch.rss|nightly rematch, peak RSS|le|1500|MB"
)
if ((peers)); then
  targets+=("peers.vacancies_for_seeker|PostgreSQL / jobmatch, a seeker's query|ge|200|x"
            "peers.seekers_for_vacancy|PostgreSQL / jobmatch, a vacancy's query|ge|200|x")
fi
for t in "${targets[@]}"; do
  IFS='|' read -r key label op limit unit <<<"$t"
  grep "^$key|" "$figures" | cut -d'|' -f2 | sort -g | awk -v label="$label" -v op="$op" \
    -v limit="$limit" -v unit="$unit" '
    { v[++n] = $1; if ((op == "le" && $1 <= limit) || (op == "ge" && $1 >= limit)) ++met }
    END {
      median = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
      ok = (op == "le" && median <= limit) || (op == "ge" && median >= limit)
      printf "  %-42s median %10.2f %-3s  target %s %5s %-3s  %-8s (met in %d of %d)\n", label,
             median, unit, op == "le" ? "<=" : ">=", limit, unit, ok ? "met" : "NOT met", met, n
    }'
done
