#!/usr/bin/env bash
# Installs what is missing, configures, builds and runs the whole test suite.
#   bash deploy/test.sh              Release build in build/
#   bash deploy/test.sh --sanitize   AddressSanitizer + UBSan build in build-asan/
# Between build and tests, clang checks the libraries' thread-safety
# annotations (deploy/clang-thread-safety.py, -Wthread-safety -Werror; skipped
# when clang++ is missing). Ends with ctest's summary line; exits non-zero if
# any test or that check fails.
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
clang_status=0
python3 deploy/clang-thread-safety.py "$build_dir" || clang_status=$?
cd "$build_dir"
ctest -j2 --output-on-failure --timeout 600
exit "$clang_status"
