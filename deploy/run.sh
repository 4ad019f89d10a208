#!/usr/bin/env bash
# Installs what is missing, builds Lessonbook and runs `lessonbook serve`.
# Extra arguments go to `lessonbook serve` (e.g. --config lessonbook.env).
set -euo pipefail
cd "$(dirname "$0")/.."
bash deploy/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target lessonbook
exec build/lessonbook serve "$@"
