#!/usr/bin/env bash
# Installs what is missing, builds jobmatchd and the jobmatch CLI, and starts the
# service on its embedded default: plaintext on loopback, RocksDB in ./data-local.
#   bash deploy/demo.sh [--listen=127.0.0.1:50051]
set -euo pipefail
cd "$(dirname "$0")/.."

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j2 --target jobmatchd jobmatch

listen=127.0.0.1:50051
for arg in "$@"; do
  case "$arg" in --listen=*) listen="${arg#--listen=}" ;; esac
done

cat <<MSG

jobmatch demo: starting jobmatchd on $listen (Ctrl-C stops it).
In another terminal, try:

  ./build/clients/cli/jobmatch --addr=$listen health

MSG
exec ./build/server/jobmatchd --listen="$listen"
