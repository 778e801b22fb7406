#!/usr/bin/env bash
# Reruns every benchmark figure of docs/benchmarks.md, in the order of its
# sections, and keeps each bench's output (with the machine's load before it)
# in build/bench/results/<UTC time>/.
#
#   bash bench/run-all.sh           # the documented sizes: national scale, ~15 minutes
#   bash bench/run-all.sh --quick   # the same benches at small sizes, ~2 minutes
#
# The peer comparison (bench/peers/run.sh) installs and starts a throwaway
# PostgreSQL; pass --no-peers to leave it out.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
peers=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-peers) peers=0 ;;
    *) echo "usage: bash bench/run-all.sh [--quick] [--no-peers]" >&2; exit 64 ;;
  esac
done

build=${BUILD_DIR:-build}
bash deploy/install-deps.sh
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target match_bench load_bench store_bench http_bench >/dev/null
out="$build/bench/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

step() {  # step NAME COMMAND...: runs it, shows and keeps its output
  local name=$1
  shift
  echo "== $name: $*"
  { echo "# $(date -u +%FT%TZ) uptime: $(uptime)"; echo "# $*"; "$@"; } 2>&1 | tee "$out/$name.txt"
}

mb="$build/bench/matcher/match_bench"
if [ $quick = 1 ]; then
  step match_queries "$mb" --scale=municipality --benchmark_filter=top20
  step match_queries_0.1 "$mb" --scale=0.1 --benchmark_filter=top20
  step rematch_0.1 "$mb" --scale=0.1 --benchmark_filter=Rematch
  step load_grpc "$build/bench/server/load_bench" --scale=0.1 --clients=4 --seconds=3 --brief
  step store "$build/bench/storage/store_bench" --benchmark_min_time=0.1
  step http "$build/bench/server/http_bench" --benchmark_min_time=0.1
  if [ $peers = 1 ]; then step peers bash bench/peers/run.sh --quick; fi
else
  # "Match queries in-process": national, then the other scales.
  step match_queries_national "$mb" --scale=national --benchmark_filter=top20
  for s in municipality 0.1 0.5; do
    step "match_queries_$s" "$mb" --scale="$s" --benchmark_filter=top20
  done
  # "Over gRPC on loopback": full explanations, then brief at 8 and 4 clients.
  lb="$build/bench/server/load_bench"
  step load_grpc_full "$lb" --scale=national --clients=8 --seconds=15
  step load_grpc_brief_8 "$lb" --scale=national --clients=8 --seconds=15 --brief
  step load_grpc_brief_4 "$lb" --scale=national --clients=4 --seconds=15 --brief
  # "Storage".
  step store "$build/bench/storage/store_bench"
  # "JSON over HTTP".
  step http "$build/bench/server/http_bench" --benchmark_repetitions=3
  # "The nightly rematch's pass" and the capacity-aware allocation.
  step rematch_0.1 "$mb" --scale=0.1 --benchmark_filter=Rematch
  step rematch_national "$mb" --scale=national --benchmark_filter=Rematch
  # "Peers": PostgreSQL and SQLite at municipality and national scale.
  if [ $peers = 1 ]; then step peers bash bench/peers/run.sh; fi
fi
echo "run-all: outputs in $out" >&2
