#!/usr/bin/env bash
# Installs what is missing, builds Lessonbook with warnings as errors and runs every test; then
# builds and runs the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
# LESSONBOOK_SKIP_SANITIZE=1 skips the second pass (quicker local runs; CI never sets it).
# Between the two, the libFuzzer targets replay their corpus and fuzz for a bounded time each
# (LESSONBOOK_FUZZ_SECONDS, default 20; tests/fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh --test

echo "== build and test (warnings are errors)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLESSONBOOK_WERROR=ON >/dev/null
cmake --build build -j2
(cd build && ctest --output-on-failure -j2 --timeout 300)

echo "== fuzz the parsers (libFuzzer + ASan/UBSan, bounded; tests/fuzz/run.sh)"
bash tests/fuzz/run.sh

if [[ "${LESSONBOOK_SKIP_SANITIZE:-0}" != 1 ]]; then
  echo "== build and test under ASan + UBSan"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLESSONBOOK_WERROR=ON \
    -DLESSONBOOK_SANITIZE=ON >/dev/null
  cmake --build build-asan -j2
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  (cd build-asan && ctest --output-on-failure -j2 --timeout 600)
fi
