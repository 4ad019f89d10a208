#!/usr/bin/env bash
# Installs the Debian packages Lessonbook needs to build, run and test.
# Idempotent: quiet and quick when everything is already present.
# Usage: deploy/install-deps.sh [--test]   (--test adds what the test suite needs)
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
if [[ "${1:-}" == "--test" ]]; then
  # postgresql: the store tests start a real server (initdb, postgres) in a temporary directory
  packages+=(libgtest-dev libgmock-dev postgresql)
fi

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
