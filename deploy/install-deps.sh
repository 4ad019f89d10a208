#!/usr/bin/env bash
# Installs the Debian packages Lessonbook needs to build, run and test.
# Idempotent: quiet and quick when everything is already present.
# Usage: deploy/install-deps.sh [--test] [--bench]
#   --test   adds what the test suite needs
#   --bench  adds what bench/run.sh needs (wrk; taskset is in util-linux, always installed;
#            postgresql and procps for --store postgres)
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libcpp-httplib-dev libssl-dev zlib1g-dev libbrotli-dev
  nlohmann-json3-dev
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libpq-dev                # the PostgreSQL store (LESSONBOOK_DB=postgres://…)
  libhowardhinnant-date-dev tzdata
  libcli11-dev
  libspdlog-dev libfmt-dev
  ca-certificates curl
  python3                  # deploy/teams/package.sh (zipfile, json) and make_icons.py
)
for arg in "$@"; do
  case "$arg" in
    --test) packages+=(libgtest-dev libgmock-dev
                       postgresql                   # the store tests start a real server (initdb, postgres)
                       chromium chromium-driver    # the Book page's browser tests (headless)
                       clang libclang-rt-14-dev) ;; # libFuzzer + ASan/UBSan runtimes: tests/fuzz/run.sh
    --bench) packages+=(wrk util-linux
                        postgresql procps) ;;      # bench/run.sh --store postgres: a throwaway cluster
    *) echo "install-deps: unknown option $arg (use --test, --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
((${#missing[@]} == 0)) && exit 0

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
