#!/usr/bin/env bash
# Installs jobmatch's build and test dependencies from Debian bookworm packages.
# Idempotent: when every package is present it prints nothing and exits in well under a second.
# Run as root (or with sudo available) on Debian bookworm.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  clang
  libgrpc++-dev libgrpc-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev rocksdb-tools libabsl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus-cpp-dev
  libsqlite3-dev
  openssl libssl-dev
  python3 python3-grpcio python3-protobuf python3-yaml
  libcivetweb-dev
)
# The browser tests (tests/web/browser, docs/web.md) need Debian's Chromium and Node; a build
# without them (the container image's build stage) sets JOBMATCH_NO_BROWSER_TESTS=1.
browser_tests=true
[ -n "${JOBMATCH_NO_BROWSER_TESTS:-}" ] && browser_tests=false
if $browser_tests; then packages+=(chromium nodejs); fi

# The browser tests' npm packages (puppeteer-core, axe-core), pinned by
# tests/web/browser/package-lock.json; Chromium is Debian's, never downloaded.
npm_ci() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/web/browser"
  $browser_tests && [ -f "$dir/package-lock.json" ] || return 0
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    echo "install-deps: npm ci in tests/web/browser" >&2
    (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --silent >/dev/null && touch node_modules)
  fi
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Debian's nodejs comes without npm (NodeSource's includes it).
if $browser_tests && ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -eq 0 ]; then npm_ci; exit 0; fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
npm_ci
