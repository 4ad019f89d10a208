#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ (only the sources they need, under
# -fsanitize=fuzzer,address,undefined), replays each target's corpus in tests/fuzz/corpus/<target>/
# as a regression run, then fuzzes each target for LESSONBOOK_FUZZ_SECONDS (default 20) seconds.
# Any crash, leak, sanitizer report or timeout fails the script; the input that did it is kept in
# build-fuzz/artifacts/ — fix the bug and add the input to the target's corpus.
# Usage: tests/fuzz/run.sh [target…]   (default: every target)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${LESSONBOOK_FUZZ_SECONDS:-20}"
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# No build type: -O1 -g from tests/fuzz/CMakeLists.txt and no NDEBUG, so assertions (nlohmann's
# JSON_ASSERT among them) stay on while fuzzing.
cmake -S tests/fuzz -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE= \
  -DCMAKE_CXX_COMPILER=clang++ "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j2

targets=("$@")
if ((${#targets[@]} == 0)); then
  for f in tests/fuzz/*_fuzz.cpp; do
    t="$(basename "$f" .cpp)"
    targets+=("${t%_fuzz}")
  done
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build-fuzz/artifacts
summary=()
for t in "${targets[@]}"; do
  bin="build-fuzz/${t}_fuzz"
  corpus="tests/fuzz/corpus/$t"
  [[ -x "$bin" && -d "$corpus" ]] || { echo "fuzz: no target or corpus for '$t'" >&2; exit 2; }
  echo "== fuzz $t: replay $(find "$corpus" -type f | wc -l) corpus inputs"
  "$bin" -runs=0 -timeout=10 "$corpus" >"build-fuzz/$t.replay.log" 2>&1 ||
    { cat "build-fuzz/$t.replay.log"; echo "fuzz: $t fails on its corpus" >&2; exit 1; }
  # New inputs go to a scratch copy: the committed corpus changes only by hand.
  scratch="build-fuzz/corpus-$t"
  rm -rf "$scratch" && mkdir -p "$scratch"
  echo "== fuzz $t: ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -max_len=16384 -print_final_stats=1 \
      -artifact_prefix="build-fuzz/artifacts/$t-" "$scratch" "$corpus" \
      >"build-fuzz/$t.fuzz.log" 2>&1; then
    tail -n 60 "build-fuzz/$t.fuzz.log"
    echo "fuzz: $t crashed; the input is in build-fuzz/artifacts/$t-*" >&2
    exit 1
  fi
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/$t.fuzz.log")"
  cov="$(grep -o 'cov: [0-9]*' "build-fuzz/$t.fuzz.log" | tail -n 1 | cut -d' ' -f2)"
  summary+=("$(printf '%-22s %10s executions  %6s edges' "$t" "${execs:-?}" "${cov:-?}")")
done
echo "== fuzz summary (${seconds}s each, no crashes)"
printf '%s\n' "${summary[@]}"
