#!/usr/bin/env bash
# Installs what is missing, builds jobmatchd, the jobmatch CLI and the data
# generator, and starts the service on its embedded default: plaintext on
# loopback, RocksDB in ./data-local/db. The first time, it loads a demo data set
# (a municipality's worth: 7,000 seekers, 2,000 vacancies, generated with seed 1)
# through the API. Ctrl-C stops the service.
# The consultant's workspace and the JSON API are on http://127.0.0.1:8080/.
#   bash deploy/demo.sh [--listen=127.0.0.1:50051] [--http_listen=127.0.0.1:8080]
set -euo pipefail
cd "$(dirname "$0")/.."

listen=127.0.0.1:50051
http_listen=127.0.0.1:8080
for arg in "$@"; do
  case "$arg" in
    --listen=*) listen="${arg#--listen=}" ;;
    --http_listen=*) http_listen="${arg#--http_listen=}" ;;
  esac
done

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target jobmatchd jobmatch jobmatch-datagen

mkdir -p data-local
first_run=false
[ -d data-local/db ] || first_run=true

GLIBC_TUNABLES=glibc.malloc.hugetlb=1 ./build/server/jobmatchd --listen="$listen" --http_listen="$http_listen" --data_dir=data-local/db &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server' INT TERM
cli=(./build/clients/cli/jobmatch --addr="$listen")
for _ in $(seq 1 100); do
  "${cli[@]}" health >/dev/null 2>&1 && break
  sleep 0.2
done

if $first_run; then
  echo "jobmatch demo: first start, loading the demo data set through the API..."
  ./build/clients/datagen/jobmatch-datagen --seed=1 --scale=municipality --out_dir=data-local
  "${cli[@]}" import employer data-local/employers.jsonl
  "${cli[@]}" import seeker data-local/seekers.jsonl
  "${cli[@]}" import vacancy data-local/vacancies.jsonl
fi

cat <<MSG

jobmatch demo: jobmatchd is serving on $listen (data in data-local/db; Ctrl-C stops it).

Open the consultant's workspace in a browser:  http://$http_listen/#/vacancy/v000003
The same answers as JSON:  curl http://$http_listen/v1/vacancies/v000003/matches?limit=5
Ranked, explained matches for a vacancy, in another terminal:

  ./build/clients/cli/jobmatch --addr=$listen match-vacancy v000003
  ./build/clients/cli/jobmatch --addr=$listen explain s0003528 v000003
  ./build/clients/cli/jobmatch --addr=$listen help

MSG
"${cli[@]}" match-vacancy v000003 --limit=5 || true
wait $server
