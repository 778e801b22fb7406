#!/usr/bin/env bash
# Two builds of match_bench timed at the same time, one core each, on the
# same fixed queries (--live_queries: the same ids in the same order), the
# cores swapped every round. On this shared 2-core machine the two cores are
# not alike (one can be half as fast as the other for minutes, the other
# tenants' load landing on it), so one build run after the other measures
# the machine as much as the build. Side by side, both share the moment;
# swapping the cores every round lets the core's share cancel: the ratio
# A/B over two rounds, one on each core, is free of it. The summary is the
# median over pairs of rounds of that ratio (ROUNDS even, so each build
# runs on each core as often). A change to one side leaves the other side's
# ratio as a control: it shows the noise left.
#
#   bench/matcher/side_by_side.sh BASE/match_bench NEW/match_bench [ROUNDS] [SCALE] [QUERIES]
#
# Prints each round's CPU medians per query (seeker and vacancy side) for
# both builds, the cores and the load average, then A/B per side: above 1,
# B is faster. Needs two cores and taskset (util-linux). Figures only.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  exit 64
fi
a=$1 b=$2 rounds=${3:-6} scale=${4:-national} queries=${5:-3000}
if ((rounds < 2 || rounds % 2 != 0)); then
  echo "side_by_side: ROUNDS must be even (each build on each core as often), not $rounds" >&2
  exit 64
fi
for bin in "$a" "$b"; do
  [[ -x $bin ]] || { echo "side_by_side: $bin: not an executable" >&2; exit 66; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# "seeker MEDIAN vacancy MEDIAN" from one run's --live_queries lines.
medians() {
  awk '/^live_queries (seeker|vacancy):/ {
         side = $2; sub(":", "", side)
         for (i = 1; i <= NF; ++i) if ($i == "median") { m = $(i + 1) }
         printf "%s %s ", side, m
       }' "$1"
}

printf '%-6s %-5s %-28s %-28s %s\n' round load "A: seeker / vacancy (us)" "B: seeker / vacancy (us)" cores
for ((r = 1; r <= rounds; ++r)); do
  ca=$((r % 2)) cb=$((1 - r % 2))
  load=$(cut -d' ' -f1 /proc/loadavg)
  taskset -c "$ca" "$a" --scale="$scale" --live_queries="$queries" >"$out/a.$r" 2>&1 &
  pa=$!
  taskset -c "$cb" "$b" --scale="$scale" --live_queries="$queries" >"$out/b.$r" 2>&1 &
  pb=$!
  for p in "$pa:$a:a" "$pb:$b:b"; do
    IFS=: read -r pid bin tag <<<"$p"
    if ! wait "$pid"; then
      echo "side_by_side: round $r: $bin failed; its output:" >&2
      tail -5 "$out/$tag.$r" >&2
      exit 70
    fi
  done
  read -r _ as _ av <<<"$(medians "$out/a.$r")"
  read -r _ bs _ bv <<<"$(medians "$out/b.$r")"
  if [[ -z ${av:-} || -z ${bv:-} ]]; then
    echo "side_by_side: round $r: no live_queries figures (is this match_bench?)" >&2
    exit 70
  fi
  printf '%-6s %-5s %-28s %-28s A on %s, B on %s\n' "$r" "$load" "$as / $av" "$bs / $bv" \
    "cpu$ca" "cpu$cb"
  echo "$as $av $bs $bv" >>"$out/all"
done
# The median of each column over the rounds; A/B per pair of rounds (one
# on each core: the geometric mean of its two ratios) and the median over
# the pairs: a burst of load that hits one round moves one pair, not the
# median.
awk 'function median(a, k,   i, j, t) {
       for (i = 2; i <= k; ++i) for (j = i; j > 1 && a[j - 1] > a[j]; --j) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
       return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
     }
     { for (c = 1; c <= 4; ++c) col[c, NR] = $c
       ls += log($1 / $3); lv += log($2 / $4) }
     NR % 2 == 0 { s[++n] = exp(ls / 2); v[n] = exp(lv / 2); ls = lv = 0 }
     END {
       for (c = 1; c <= 4; ++c) { for (r = 1; r <= NR; ++r) x[r] = col[c, r]; m[c] = median(x, NR) }
       printf "median of the rounds: A seeker %g, vacancy %g us; B seeker %g, vacancy %g us\n", m[1], m[2], m[3], m[4]
       printf "A/B by pair of rounds: seeker"; for (i = 1; i <= n; ++i) printf " %.3f", s[i]
       printf "; vacancy"; for (i = 1; i <= n; ++i) printf " %.3f", v[i]
       printf "\nA/B, median of %d pairs: seeker %.3f, vacancy %.3f (above 1: B is faster)\n",
              n, median(s, n), median(v, n)
     }' "$out/all"
