#!/usr/bin/env bash
# Installs what is missing, configures, builds and runs the whole test suite.
#   bash deploy/test.sh              Release build in build/
#   bash deploy/test.sh --sanitize   AddressSanitizer + UBSan build in build-asan/
# Ends with ctest's summary line; exits non-zero if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=build-asan
  cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DJOBMATCH_SANITIZE=ON)
fi

bash deploy/install-deps.sh
cmake -S . -B "$build_dir" "${cmake_args[@]}" >/dev/null
cmake --build "$build_dir" -j2
cd "$build_dir"
ctest -j2 --output-on-failure --timeout 600
