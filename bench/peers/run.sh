#!/usr/bin/env bash
# jobmatch side by side with PostgreSQL 15 (intarray) and SQLite
# (R*Tree) on the same generated data: installs what it needs (Debian
# packages), starts a throwaway PostgreSQL in a temp folder on a loopback port,
# runs bench/peers/peers_bench at each scale, and stops and removes PostgreSQL
# afterwards (also on failure or Ctrl-C).
#
#   bash bench/peers/run.sh                 # municipality and national
#   bash bench/peers/run.sh --quick         # municipality, fewer queries
#   bash bench/peers/run.sh --scales="0.1"  # any datagen scale(s)
#   bash bench/peers/run.sh --scales=0.1 --bench-args="--sqlite=none --explain"   # extra flags
#
# Output: the bench report on stdout, also kept in build/bench/peers/results.txt.
# Not part of ctest and not in deploy/install-deps.sh: CI needs no PostgreSQL.
set -euo pipefail

cd "$(dirname "$0")/../.."
quick=0
extra=""
scales="municipality national"
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1; scales="municipality" ;;
    --scales=*) scales="${arg#--scales=}" ;;
    --bench-args=*) extra="${arg#--bench-args=}" ;;
    *) echo "usage: bash bench/peers/run.sh [--quick] [--scales=\"municipality national\"] [--bench-args=\"...\"]" >&2; exit 64 ;;
  esac
done

# --- Packages (PostgreSQL 15 ships intarray in its contrib).
packages=(postgresql-15 libpq-dev libsqlite3-dev sqlite3)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  echo "run.sh: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
  # Debian starts a cluster of its own on installation; this benchmark uses its own.
fi

# --- Build (libpq is found now, so peers_bench includes the PostgreSQL peer).
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target peers_bench >/dev/null

# --- A throwaway PostgreSQL on 127.0.0.1.
pgbin=/usr/lib/postgresql/15/bin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jobmatch-pg.XXXXXX")
as_pg() {
  # PostgreSQL refuses to run as root: use the postgres account then.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$tmp"
port=${PEERS_PG_PORT:-54329}
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
started=0
cleanup() {
  if [ "$started" = 1 ]; then as_pg "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
as_pg "$pgbin/initdb" -D "$tmp/data" -U postgres --auth=trust --no-locale -E UTF8 >/dev/null
# Tuned as a municipality's dedicated database server would be for this data:
# the whole working set in shared buffers, no JIT (it costs more than it saves
# on short queries), durability off (it only slows the load, not the queries).
as_pg "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/postgres.log" -w -o "\
 -c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp\
 -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=512MB -c effective_cache_size=8GB\
 -c random_page_cost=1.1 -c jit=off -c fsync=off -c synchronous_commit=off\
 -c full_page_writes=off -c max_wal_size=8GB" start >/dev/null
started=1
conninfo="host=127.0.0.1 port=$port user=postgres dbname=postgres"
echo "run.sh: PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $tmp" >&2

results="$build/bench/peers/results.txt"
: > "$results"
for scale in $scales; do
  args=(--scale="$scale" --pg="$conninfo")
  case "$scale" in
    national) args+=(--queries=100 --rematch=0.002) ;;   # few national PostgreSQL runs: shared machine
    *) args+=(--queries=$([ $quick = 1 ] && echo 50 || echo 300) --rematch=0.05) ;;
  esac
  echo "== scale $scale: $(uptime)"
  # shellcheck disable=SC2086  # extra flags split on spaces
  "$build/bench/peers/peers_bench" "${args[@]}" $extra | tee -a "$results"
done
echo "run.sh: report kept in $results" >&2
