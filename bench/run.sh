#!/usr/bin/env bash
# Lessonbook's benchmark: one command, loopback only, bounded in time. See bench/README.md.
#
# Usage: bench/run.sh [--sizes 10k,100k,1m] [--duration SECONDS] [--build DIR] [--no-build]
#                     [--prepare-only]
#   --sizes     corpora to measure (default 10k,100k; 1m adds the start-up and 3 s checks at 1M)
#   --duration  seconds per wrk run (default 10; each run is also cut by `timeout`)
#   --build     the CMake build directory (default build)
#   --prepare-only  make the corpora, databases and query sets, measure nothing
# Corpora, databases and query sets are kept in bench/data/ and reused; delete it to rebuild.
# Every server the script starts is stopped by its PID when it ends, fails or is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes="10k,100k"
duration=10
build=build
do_build=1
prepare_only=0
while (($#)); do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in wrk python3 curl taskset sqlite3; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: $tool is missing: run deploy/install-deps.sh --bench" >&2
    exit 1
  }
done

data=$root/bench/data
mkdir -p "$data"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out=$data/results-$stamp.md
log=$data/run-$stamp.log
readonly secret=bench-signing-secret team=TBENCH seed=8
ceiling_port=${BENCH_CEILING_PORT:-18081}
server_port=${BENCH_SERVER_PORT:-18080}
server_url=http://127.0.0.1:$server_port

# Server on core 0, load generator on core 1 (when the machine has two cores or more).
if (($(nproc) >= 2)); then
  pin_server=(taskset -c 0)
  pin_load=(taskset -c 1)
else
  pin_server=()
  pin_load=()
fi

# ---- processes: every PID we start is recorded and stopped on exit ----
pids=()
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  pids=()
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

forget_pid() {
  local keep=() p
  for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}

wait_http() {  # URL SECONDS: waits until URL answers
  local deadline=$((SECONDS + $2))
  until curl -s -o /dev/null --max-time 1 "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.01
  done
}

note() { echo "$*" | tee -a "$out"; }
load_now() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- build ----
if ((do_build)); then
  if [[ ! -f $build/build.ninja && ! -f $build/Makefile ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build "$build" --target lessonbook bench_ceiling -j2 >>"$log"
fi
lessonbook=$root/$build/lessonbook
ceiling=$root/$build/bench_ceiling
[[ -x $lessonbook && -x $ceiling ]] || { echo "run.sh: build $lessonbook and $ceiling first" >&2; exit 1; }

for port in "$ceiling_port" "$server_port"; do
  if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
    echo "run.sh: something already answers on 127.0.0.1:$port; stop it or set BENCH_CEILING_PORT / BENCH_SERVER_PORT" >&2
    exit 1
  fi
done

# ---- the ceiling (also the Slack API that serve asks auth.test at start-up) ----
"${pin_server[@]}" "$ceiling" "$ceiling_port" 64 >>"$log" 2>&1 &
ceiling_pid=$!
pids+=("$ceiling_pid")
wait_http "http://127.0.0.1:$ceiling_port/" 10 || { echo "run.sh: the ceiling did not start" >&2; exit 1; }

# The per-workspace rate limit (600 a minute by default) is off: the bench is one workspace
# sending thousands of commands a second, and every refused one would be a "slow down" notice.
serve_env=(env LESSONBOOK_LISTEN=127.0.0.1:$server_port SLACK_SIGNING_SECRET=$secret
  SLACK_BOT_TOKEN=xoxb-bench SLACK_API_BASE=http://127.0.0.1:$ceiling_port/api
  LESSONBOOK_WORKSPACE_RATE_PER_MINUTE=0)

server_pid=
start_server() {  # DB: starts serve pinned to core 0, sets server_pid and startup_ms
  local t0 t1
  t0=$(date +%s%N)
  "${pin_server[@]}" "${serve_env[@]}" LESSONBOOK_DB="$1" "$lessonbook" serve >>"$log" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  wait_http "$server_url/healthz" 60 || { echo "run.sh: serve did not start (see $log)" >&2; exit 1; }
  t1=$(date +%s%N)
  startup_ms=$(((t1 - t0) / 1000000))
}
stop_server() {
  stop_pid "$server_pid"
  forget_pid "$server_pid"
  server_pid=
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime, 1/100 s

# wrk run: NAME PID URL POOL [EXPECT]: sets last_row (a table row) and last_rps. Distinct pools
# are used up at most once: the run ends early when its pool is, and req/s counts the time the
# answers took (bench/slash.lua). "CPU ms/req" is the server's CPU time per answer: the figure
# that other load on the machine disturbs least.
run_wrk() {
  local name=$1 pid=$2 url=$3 pool=$4 expect=${5:-} cycle=${6:-} res t0 t1 ok empty other answered secs rps
  local p50 p99 max
  t0=$(cpu_ticks "$pid")
  res=$("${pin_load[@]}" timeout $((duration + 20)) wrk -t1 -c"${conns:-32}" -d"${duration}s" --timeout 5s \
    -s "$root/bench/slash.lua" "$url" -- "$pool" "$expect" "$cycle" 2>&1) || true
  t1=$(cpu_ticks "$pid")
  echo "$name" >>"$log"
  echo "$res" >>"$log"
  read -r ok empty other answered secs rps < <(awk '/^slash:/ { print $3, $5, $7, $11, $13, $15 }' <<<"$res")
  read -r p50 p99 max < <(awk '/^latency_us:/ { print $3, $7, $9 }' <<<"$res")
  last_rps=${rps:-0}
  last_row="| $name | ${rps:-?} | $(awk -v u="${p50:-0}" 'BEGIN { printf "%.2f", u / 1000 }') | $(awk -v u="${p99:-0}" 'BEGIN { printf "%.2f", u / 1000 }') | $(awk -v u="${max:-0}" 'BEGIN { printf "%.1f", u / 1000 }') | ${ok:-?}/${empty:-?}/${other:-?} in ${secs:-?} s | $(awk -v t=$((t1 - t0)) -v n="${answered:-0}" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "?" }') |"
}

sign() {  # QUERIES OUT [PREFIX] [COUNT]
  python3 "$root/bench/sign_requests.py" --secret "$secret" --team "$team" --queries "$1" \
    --out "$2" --prefix "${3:-}" --count "${4:-0}" --response-base "http://127.0.0.1:$ceiling_port"
}

count_of() {
  case "$1" in
    10k) echo 10000 ;; 100k) echo 100000 ;; 1m) echo 1000000 ;;
    *) echo "run.sh: unknown size $1 (10k, 100k or 1m)" >&2; exit 2 ;;
  esac
}

# The database of a corpus, made once: serve creates the workspace, import loads the lessons.
prepare_db() {  # SIZE -> sets db, import_s
  local size=$1 n corpus
  n=$(count_of "$size")
  corpus=$data/corpus-$size.jsonl
  db=$data/lessons-$size.db
  import_s=
  if [[ ! -s $corpus ]]; then
    echo "generating $corpus"
    python3 "$root/bench/gen_corpus.py" --count "$n" --seed $seed --workspace $team \
      --end "$(($(date +%s) / 86400 * 86400))" --out "$corpus.tmp"
    mv "$corpus.tmp" "$corpus"
  fi
  if [[ ! -s $db ]]; then
    rm -f "$db" "$db-wal" "$db-shm"
    start_server "$db"
    stop_server
    # import holds a whole file in memory: at most 100,000 lessons per import.
    rm -rf "$data/split-$size"
    mkdir -p "$data/split-$size"
    split -l 100000 -d -a 3 "$corpus" "$data/split-$size/part-"
    local t0 t1 f
    t0=$(date +%s%N)
    for f in "$data/split-$size"/part-*; do
      mv "$f" "$f.jsonl"
      LESSONBOOK_DB=$db "${pin_server[@]}" "$lessonbook" import "$f.jsonl" >>"$log" 2>&1
    done
    t1=$(date +%s%N)
    import_s=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    rm -rf "$data/split-$size"
    sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    echo "$import_s" >"$db.import-seconds"
    echo "$(load_now)" >"$db.import-load"
  fi
}

workspace_id() { sqlite3 "$1" "SELECT id FROM workspaces WHERE external_id = '$team'"; }

note "# Lessonbook benchmark $stamp"
note ""
note "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
note "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)'); load at start: $(load_now)"
note "wrk: 1 thread, 32 connections, ${duration} s per run, pinned: server '${pin_server[*]}', wrk '${pin_load[*]}'"
note ""

IFS=, read -r -a size_list <<<"$sizes"
for size in "${size_list[@]}"; do
  n=$(count_of "$size")
  prepare_db "$size"
  ws=$(workspace_id "$db")
  qdir=$data/queries-$size
  if [[ ! -s $qdir/mix.txt ]]; then
    python3 "$root/bench/make_queries.py" --db "$db" --workspace-id "$ws" --seed $seed \
      --out "$qdir" | tee -a "$log"
  fi
  db_bytes=$(($(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0)))
  ((prepare_only)) && continue

  note "## $size lessons ($n)"
  note ""
  note "- database: $db_bytes bytes, $((db_bytes / n)) bytes per lesson"
  [[ -s $db.import-seconds ]] &&
    note "- import (when the database was made, in parts of 100,000): $(cat "$db.import-seconds") s, $(awk -v n="$n" -v s="$(cat "$db.import-seconds")" 'BEGIN { printf "%.0f", n / s }') lessons/s (load then $(cat "$db.import-load"))"

  start_server "$db"
  note "- start-up to /healthz: ${startup_ms} ms; RSS after start-up: $(($(status_kib "$server_pid" VmRSS) / 1024)) MiB"

  # Warm-up (connections, statements, page cache): filter-only searches, not the measured words.
  printf '%s\n' "tag:email" "tag:seo outcome:worked" "outcome:flopped" "tag:paid" "tag:events" \
    "tag:content outcome:change" "tag:social" "outcome:insight tag:offers" >"$data/warm.txt"
  sign "$data/warm.txt" "$data/pool-warm"
  duration_saved=$duration
  duration=3
  run_wrk warm-up "$server_pid" "$server_url" "$data/pool-warm" "" cycle
  duration=$duration_saved

  note ""
  note "| run (load avg 1/5/15 before) | req/s | p50 ms | p99 ms | max ms | results/empty/other | CPU ms/req | of ceiling | of ceiling by CPU |"
  note "|---|---|---|---|---|---|---|---|---|"
  sign "$qdir/mix.txt" "$data/pool-ceiling"
  ld=$(load_now)
  run_wrk "bare ceiling ($ld)" "$ceiling_pid" "http://127.0.0.1:$ceiling_port" "$data/pool-ceiling" '"ok":true' cycle
  ceiling_rps=$last_rps
  ceiling_cpu=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
  note "$last_row 100% | 100% |"
  for set in mix rare middle common zipf; do
    sign "$qdir/$set.txt" "$data/pool-$set"
    python3 "$root/bench/check_answers.py" --url "$server_url" --pool "$data/pool-$set" --n 10 \
      >>"$log" 2>&1 || { note "| $set | answers carry no results: see $log | | | | | |"; continue; }
    sign "$qdir/$set.txt" "$data/pool-$set"  # fresh timestamps for the run itself
    ld=$(load_now)
    run_wrk "search $set ($ld)" "$server_pid" "$server_url" "$data/pool-$set"
    cpu=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
    note "$last_row $(awk -v a="$last_rps" -v b="$ceiling_rps" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "?" }') | $(awk -v c="$ceiling_cpu" -v r="$cpu" 'BEGIN { if (r > 0) printf "%.1f%%", 100 * c / r; else print "?" }') |"
  done
  if [[ $size == 1m ]]; then
    # One connection: how long one search takes when it does not queue behind 31 others.
    for set in common middle; do
      tail -n +2000 "$qdir/$set.txt" >"$data/$set-one.txt"
      sign "$data/$set-one.txt" "$data/pool-$set-one"
      conns=1
      ld=$(load_now)
      run_wrk "search $set, 1 connection ($ld)" "$server_pid" "$server_url" "$data/pool-$set-one"
      conns=32
      note "$last_row | |"
    done
  fi
  note ""
  note "- peak RSS of serve (VmHWM) over these runs: $(($(status_kib "$server_pid" VmHWM) / 1024)) MiB"

  if [[ $size == 100k ]]; then
    # The weekly digest of a 100,000-lesson workspace: digest preview builds it on request.
    printf 'digest preview\n' >"$data/digest.txt"
    sign "$data/digest.txt" "$data/pool-digest" "" 5
    dms=()
    while IFS=$'\t' read -r ts sig body; do
      dms+=("$(curl -s -o /dev/null -w '%{time_total}' -H "X-Slack-Request-Timestamp: $ts" \
        -H "X-Slack-Signature: $sig" -H 'Content-Type: application/x-www-form-urlencoded' \
        --data-binary "$body" "$server_url/slack/commands")")
    done <"$data/pool-digest"
    note "- digest preview (build + answer) of this workspace, 5 times: ${dms[*]} s (load $(load_now))"
  fi
  stop_server
  note ""
done

((prepare_only)) && { echo "prepared: ${size_list[*]}"; exit 0; }

# ---- writes: lessons stored per second through /lessons add, on a copy of the smallest db ----
first=${size_list[0]}
cp "$data/lessons-$first.db" "$data/writes.db"
rm -f "$data/writes.db-wal" "$data/writes.db-shm"
python3 - "$data/adds.txt" <<'EOF'
import random, sys
rng = random.Random(8)
words = ["subject", "lines", "webinar", "landing", "retargeting", "pricing", "checklist",
         "carousel", "referral", "holdout", "nurture", "booth", "podcast", "bundle"]
with open(sys.argv[1], "w") as f:
    for i in range(200000):
        text = " ".join(rng.choice(words) for _ in range(8))
        f.write(f"Lesson {i}: {text} lifted signups by {rng.randrange(2, 60)}% #email outcome:worked\n")
EOF
start_server "$data/writes.db"
sign "$data/adds.txt" "$data/pool-adds" "add "
before=$(sqlite3 "$data/writes.db" "SELECT count(*) FROM lessons")
ld=$(load_now)
run_wrk "add ($ld)" "$server_pid" "$server_url" "$data/pool-adds" "Saved"
stop_server
after=$(sqlite3 "$data/writes.db" "SELECT count(*) FROM lessons")
note "## Writes"
note ""
note "| run (load avg 1/5/15 before) | req/s | p50 ms | p99 ms | max ms | saved/empty/other | CPU ms/req | lessons stored |"
note "|---|---|---|---|---|---|---|---|"
note "$last_row $((after - before)) |"
rm -f "$data/writes.db" "$data/writes.db-wal" "$data/writes.db-shm"

cleanup
note ""
note "load at end: $(load_now)"
echo "results: $out (details: $log)"
