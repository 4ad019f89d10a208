#!/usr/bin/env bash
# Installs what is missing, builds Lessonbook with warnings as errors under AddressSanitizer +
# UndefinedBehaviorSanitizer (build-asan/) and runs every test there, once; then the libFuzzer
# targets replay their corpus and fuzz for a bounded time each (LESSONBOOK_FUZZ_SECONDS, default
# 20; tests/fuzz/run.sh).
# LESSONBOOK_SKIP_SANITIZE=1 builds and tests the plain RelWithDebInfo build (build/) instead:
# its tests run faster, and it is the binary deploy/run.sh serves. CI never sets it.
#
# One sanitized pass, not a plain pass and then a sanitized one: the second build and run of the
# same tests took about half of CI's 44 minutes (the brief wants CI well under 30), and every
# test the plain pass ran, the sanitized pass runs too, with the sanitizers' checks on top.
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh --test

if [[ "${LESSONBOOK_SKIP_SANITIZE:-0}" == 1 ]]; then
  echo "== build and test (warnings are errors; no sanitizers: LESSONBOOK_SKIP_SANITIZE=1)"
  dir=build
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLESSONBOOK_WERROR=ON \
    -DLESSONBOOK_SANITIZE=OFF >/dev/null
  timeout=300
else
  echo "== build and test under ASan + UBSan (warnings are errors)"
  dir=build-asan
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLESSONBOOK_WERROR=ON \
    -DLESSONBOOK_SANITIZE=ON >/dev/null
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
  timeout=600
fi
cmake --build "$dir" -j2
(cd "$dir" && ctest --output-on-failure -j2 --timeout "$timeout")

echo "== fuzz the parsers (libFuzzer + ASan/UBSan, bounded; tests/fuzz/run.sh)"
bash tests/fuzz/run.sh
