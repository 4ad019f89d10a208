#!/usr/bin/env bash
# Lessonbook's benchmark: one command, loopback only, bounded in time. See bench/README.md.
#
# Usage: bench/run.sh [--sizes 10k,100k,1m] [--duration SECONDS] [--build DIR] [--no-build]
#                     [--prepare-only] [--store sqlite|postgres|both] [--replicas 1|2|1,2]
#   --sizes     corpora to measure (default 10k,100k; 1m adds the start-up and 3 s checks at 1M)
#   --duration  seconds per wrk run (default 10; each run is also cut by `timeout`)
#   --build     the CMake build directory (default build)
#   --prepare-only  make the corpora, databases and query sets, measure nothing
#   --store     which store serves the searches (default sqlite); postgres starts a throwaway
#               PostgreSQL cluster in bench/data/pg and loads the same corpora into it
#   --replicas  on PostgreSQL: 1, 2 (two serve processes on one database, load spread over both)
#               or 1,2 (both, one after the other; default 1). SQLite is always one process.
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
store=sqlite
replicas=1
while (($#)); do
  case "$1" in
    --sizes) sizes=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    --store) store=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

for tool in wrk python3 curl taskset sqlite3; do
  command -v "$tool" >/dev/null || {
    echo "run.sh: $tool is missing: run deploy/install-deps.sh --bench" >&2
    exit 1
  }
done
case "$store" in
  sqlite | postgres | both) ;;
  *) echo "run.sh: --store is sqlite, postgres or both, not $store" >&2; exit 2 ;;
esac
[[ $replicas =~ ^[12](,[12])?$ ]] || { echo "run.sh: --replicas is 1, 2 or 1,2, not $replicas" >&2; exit 2; }

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

# BENCH_SERVER_CPUS / BENCH_LOAD_CPUS (taskset CPU lists) override that, e.g. on a larger machine.
[[ -n ${BENCH_SERVER_CPUS:-} ]] && pin_server=(taskset -c "$BENCH_SERVER_CPUS")
[[ -n ${BENCH_LOAD_CPUS:-} ]] && pin_load=(taskset -c "$BENCH_LOAD_CPUS")

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
  if [[ -n ${pg_pid:-} ]]; then stop_postgres; fi  # last: the serve processes were its clients
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
  cmake --build "$build" --target lessonbook bench_ceiling bench_postmortem -j2 >>"$log"
fi
lessonbook=$root/$build/lessonbook
ceiling=$root/$build/bench_ceiling
postmortem_bench=$root/$build/bench_postmortem
# All three before anything runs: a --no-build run must not find one missing minutes later.
for bin in "$lessonbook" "$ceiling" "$postmortem_bench"; do
  [[ -x $bin ]] || {
    echo "run.sh: $bin is missing: build it first (cmake --build $build --target lessonbook bench_ceiling bench_postmortem)" >&2
    exit 1
  }
done

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

# utime + stime, 1/100 s, of "PID [PID…]"; the word pg stands for the whole PostgreSQL cluster.
cpu_ticks() {
  local sum=0 p
  for p in $1; do
    if [[ $p == pg ]]; then
      sum=$((sum + $(pg_ticks)))
    else
      sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat")))
    fi
  done
  echo "$sum"
}
# Waits (up to 60 s) until PID is idle: under 3 ticks of CPU in half a second. A warm-up whose
# slow commands went past the inline budget keeps the server busy after wrk has stopped; the
# next run (the ceiling's included: same core) must not share the core with that backlog.
wait_idle() {
  local deadline=$((SECONDS + 60)) a b
  while ((SECONDS < deadline)); do
    a=$(cpu_ticks "$1")
    sleep 0.5
    b=$(cpu_ticks "$1")
    ((b - a < 3)) && return 0
  done
  echo "run.sh: pid $1 still busy after 60 s" >>"$log"
}

# wrk run: NAME PID URL POOL [EXPECT]: sets last_row (a table row) and last_rps. Distinct pools
# are used up at most once: the run ends early when its pool is, and req/s counts the time the
# answers took (bench/slash.lua). "CPU ms/req" is the server's CPU time per answer: the figure
# that other load on the machine disturbs least.
run_wrk() {
  local name=$1 pid=$2 url=$3 pool=$4 expect=${5:-} cycle=${6:-} res t0 t1 ok empty other answered secs rps
  local p50 p99 max
  local servers=${pid//pg/} end_ticks
  servers=$(echo $servers)  # the serve processes alone: slash.lua reads their CPU time
  t0=$(cpu_ticks "$pid")
  pg_t0=$(pg_ticks)  # PostgreSQL's share, sampled next to the total (0 without a cluster)
  res=$("${pin_load[@]}" timeout $((duration + 20)) wrk -t1 -c"${conns:-32}" -d"${duration}s" --timeout 5s \
    -s "$root/bench/slash.lua" "$url" -- "$pool" "$expect" "$cycle" "${servers// /,}" 2>&1) || true
  t1=$(cpu_ticks "$pid")
  # A pool used up before -d ends: the servers' CPU time after the last answer (idle keep-alive
  # polling, bench/slash.lua) is not the answers'.
  end_ticks=$(awk '/^slash_ticks:/ { print $2 }' <<<"$res")
  if [[ -n $end_ticks && -n $servers ]]; then
    t1=$((t1 - ($(cpu_ticks "$servers") - end_ticks)))
  fi
  last_pg_ticks=$(($(pg_ticks) - pg_t0))
  echo "$name" >>"$log"
  echo "$res" >>"$log"
  read -r ok empty other answered secs rps < <(awk '/^slash:/ { print $3, $5, $7, $11, $13, $15 }' <<<"$res")
  read -r p50 p99 max < <(awk '/^latency_us:/ { print $3, $7, $9 }' <<<"$res")
  last_rps=${rps:-0}
  last_answered=${answered:-0}
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

# ---- PostgreSQL (--store postgres|both): a throwaway cluster in bench/data/pg ----
# initdb runs as the postgres user when we are root (it refuses root); the cluster is kept and
# reused like the SQLite databases (delete bench/data to start over), started for the run and
# stopped by its PID at the end. fsync, synchronous_commit and full_page_writes keep their
# defaults (on): an acknowledged write is durable, as in production. The settings below size the
# caches for a benchmark machine and keep checkpoints and JIT compilation out of the measurements;
# parallel query is off because the cluster is pinned to the server core (workers would only
# add process start-ups on the same core).
pg_port=${BENCH_PG_PORT:-18082}
server2_port=${BENCH_SERVER2_PORT:-18083}
pg_dir=$data/pg
pg_settings=(shared_buffers=512MB effective_cache_size=4GB work_mem=16MB
  maintenance_work_mem=256MB max_connections=200 max_wal_size=4GB checkpoint_timeout=30min
  jit=off max_parallel_workers_per_gather=0)
pg_pid=
pg_bin=
as_postgres=()
((EUID == 0)) && as_postgres=(runuser -u postgres --)
pg_admin_uri=postgres://postgres@127.0.0.1:$pg_port/postgres

find_pg_bin() {
  pg_bin=${LESSONBOOK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
  [[ -x $pg_bin/initdb && -x $pg_bin/pg_ctl && -x $pg_bin/psql ]] || {
    echo "run.sh: PostgreSQL is not installed (/usr/lib/postgresql/*/bin): run deploy/install-deps.sh --bench, or set LESSONBOOK_PG_BIN" >&2
    exit 1
  }
  command -v pgrep >/dev/null || { echo "run.sh: pgrep is missing: run deploy/install-deps.sh --bench" >&2; exit 1; }
}

pg_sql() { PGOPTIONS="-c client_min_messages=warning" "$pg_bin/psql" -X -q -t -A -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }  # URI SQL

pg_start() {  # creates the cluster once, starts it pinned like the servers, sets pg_pid
  [[ -n $pg_pid ]] && return 0
  find_pg_bin
  local cluster=$pg_dir/cluster opts s old
  if [[ ! -s $cluster/PG_VERSION ]]; then
    rm -rf "$pg_dir"
    mkdir -p "$pg_dir"
    ((EUID == 0)) && chown postgres: "$pg_dir"
    "${as_postgres[@]}" "$pg_bin/initdb" -D "$cluster" -U postgres -A trust -E UTF8 \
      --locale C.UTF-8 >>"$log" 2>&1 || { echo "run.sh: initdb failed (see $log)" >&2; exit 1; }
  fi
  if [[ -s $cluster/postmaster.pid ]]; then
    old=$(head -n 1 "$cluster/postmaster.pid")
    if kill -0 "$old" 2>/dev/null; then
      echo "run.sh: a PostgreSQL server (PID $old) already runs on $cluster; stop it first" >&2
      exit 1
    fi
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; then
    echo "run.sh: something already listens on 127.0.0.1:$pg_port; stop it or set BENCH_PG_PORT" >&2
    exit 1
  fi
  opts="-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$cluster"
  for s in "${pg_settings[@]}"; do opts+=" -c $s"; done
  if ! "${pin_server[@]}" "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$cluster" -l "$pg_dir/server.log" \
    -o "$opts" -w -t 120 start >>"$log" 2>&1; then
    [[ -s $cluster/postmaster.pid ]] && pg_pid=$(head -n 1 "$cluster/postmaster.pid")
    echo "run.sh: PostgreSQL did not start (see $pg_dir/server.log)" >&2
    exit 1
  fi
  pg_pid=$(head -n 1 "$cluster/postmaster.pid")
}

# Fast shutdown (SIGINT: clients are disconnected), then immediate (SIGQUIT); SIGKILL only as a
# last resort, since it would leave the backends behind.
stop_postgres() {
  [[ -n $pg_pid ]] || return 0
  local sig
  for sig in INT QUIT KILL; do
    kill -0 "$pg_pid" 2>/dev/null || break
    kill -"$sig" "$pg_pid" 2>/dev/null || true
    for _ in $(seq 1 400); do
      kill -0 "$pg_pid" 2>/dev/null || break
      sleep 0.05
    done
  done
  pg_pid=
}

# CPU ticks of the cluster: the postmaster (with its reaped children) and every live child
# (backends, checkpointer, walwriter, autovacuum).
pg_ticks() {
  local sum=0 p stat f
  [[ -n ${pg_pid:-} ]] || { echo 0; return; }
  for p in "$pg_pid" $(pgrep -P "$pg_pid" || true); do
    stat=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    read -r -a f <<<"${stat##*) }"  # f[0] is field 3 (state): utime is f[11], cutime f[13]
    sum=$((sum + f[11] + f[12]))
    [[ $p == "$pg_pid" ]] && sum=$((sum + f[13] + f[14]))
  done
  echo "$sum"
}

pg_pss_mib() {  # proportional memory of the cluster's processes (shared buffers counted once)
  local sum=0 p kib
  for p in "$pg_pid" $(pgrep -P "$pg_pid" || true); do
    kib=$(awk '$1 == "Pss:" { print $2 }' "/proc/$p/smaps_rollup" 2>/dev/null) || continue
    sum=$((sum + ${kib:-0}))
  done
  echo $((sum / 1024))
}

pg_sessions() { pg_sql "$pg_admin_uri" "SELECT sessions FROM pg_stat_database WHERE datname = '$1'"; }

# The corpus of SIZE in database lessons_SIZE, made once: serve creates the workspace and the
# schema, `lessonbook import` loads the same parts of 100,000 as for SQLite (pinned to the
# server core, where PostgreSQL runs too), then VACUUM ANALYZE (what autovacuum would do later:
# planner statistics and the visibility map). Sets pg_uri and pg_db.
pg_prepare_db() {  # SIZE
  local size=$1 corpus=$data/corpus-$1.jsonl t0 t1 t2 f
  pg_start
  pg_db=lessons_$size
  pg_uri=postgres://postgres@127.0.0.1:$pg_port/$pg_db
  [[ -s $pg_dir/$pg_db.import-seconds ]] &&
    [[ $(pg_sql "$pg_admin_uri" "SELECT 1 FROM pg_database WHERE datname = '$pg_db'") == 1 ]] &&
    return 0
  echo "loading $corpus into PostgreSQL ($pg_db)"
  pg_sql "$pg_admin_uri" "DROP DATABASE IF EXISTS $pg_db" >/dev/null
  pg_sql "$pg_admin_uri" "CREATE DATABASE $pg_db" >/dev/null
  start_server "$pg_uri"
  stop_server
  rm -rf "$data/split-pg-$size"
  mkdir -p "$data/split-pg-$size"
  split -l 100000 -d -a 3 "$corpus" "$data/split-pg-$size/part-"
  t0=$(date +%s%N)
  for f in "$data/split-pg-$size"/part-*; do
    mv "$f" "$f.jsonl"
    LESSONBOOK_DB=$pg_uri "${pin_server[@]}" "$lessonbook" import "$f.jsonl" >>"$log" 2>&1
  done
  t1=$(date +%s%N)
  pg_sql "$pg_uri" "VACUUM ANALYZE" >/dev/null
  t2=$(date +%s%N)
  rm -rf "$data/split-pg-$size"
  awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", ns / 1e9 }' >"$pg_dir/$pg_db.import-seconds"
  awk -v ns=$((t2 - t1)) 'BEGIN { printf "%.1f\n", ns / 1e9 }' >"$pg_dir/$pg_db.vacuum-seconds"
  load_now >"$pg_dir/$pg_db.import-load"
}

ensure_query_sets() {  # SIZE: the SQLite database and the query sets built from its FTS5 index
  prepare_db "$1"
  qdir=$data/queries-$1
  if [[ ! -s $qdir/mix.txt || ! -s $qdir/filters.txt ]]; then
    python3 "$root/bench/make_queries.py" --db "$db" --workspace-id "$(workspace_id "$db")" \
      --seed $seed --out "$qdir" | tee -a "$log"
  fi
}

start_server2() {  # DB: a second serve (replica) on server2_port, pinned like the first
  "${pin_server[@]}" "${serve_env[@]}" LESSONBOOK_LISTEN=127.0.0.1:$server2_port LESSONBOOK_DB="$1" \
    "$lessonbook" serve >>"$log" 2>&1 &
  server2_pid=$!
  pids+=("$server2_pid")
  wait_http "http://127.0.0.1:$server2_port/healthz" 60 || { echo "run.sh: the second serve did not start (see $log)" >&2; exit 1; }
}

us_to_ms() { awk -v u="${1:-0}" -v d="$2" 'BEGIN { printf "%." d "f", u / 1000 }'; }  # US DECIMALS

# Two replicas: the pool is dealt alternately to two wrk processes (16 connections each, both
# pinned to the load core), one per replica, run at the same time. req/s is all answers over the
# longer of the two runs; latencies are reported per replica ("A / B": wrk's percentiles cannot
# be merged). Sets last_row, last_rps, last_answered.
run_wrk_pair() {  # NAME CPU_PIDS URL_A URL_B POOL
  local name=$1 cpu_pids=$2 pool=$5 t0 t1 side res pid_a pid_b
  local -A ok empty other answered secs p50 p99 max
  awk 'NR % 2 == 1' "$pool" >"$pool.a"
  awk 'NR % 2 == 0' "$pool" >"$pool.b"
  t0=$(cpu_ticks "$cpu_pids")
  pg_t0=$(pg_ticks)
  "${pin_load[@]}" timeout $((duration + 20)) wrk -t1 -c16 -d"${duration}s" --timeout 5s \
    -s "$root/bench/slash.lua" "$3" -- "$pool.a" "" "" >"$pool.a.out" 2>&1 &
  pid_a=$!
  pids+=("$pid_a")
  "${pin_load[@]}" timeout $((duration + 20)) wrk -t1 -c16 -d"${duration}s" --timeout 5s \
    -s "$root/bench/slash.lua" "$4" -- "$pool.b" "" "" >"$pool.b.out" 2>&1 &
  pid_b=$!
  pids+=("$pid_b")
  wait "$pid_a" || true
  wait "$pid_b" || true
  forget_pid "$pid_a"
  forget_pid "$pid_b"
  t1=$(cpu_ticks "$cpu_pids")
  last_pg_ticks=$(($(pg_ticks) - pg_t0))
  for side in a b; do
    res=$(cat "$pool.$side.out")
    echo "$name (replica $side)" >>"$log"
    echo "$res" >>"$log"
    read -r "ok[$side]" "empty[$side]" "other[$side]" "answered[$side]" "secs[$side]" _ \
      < <(awk '/^slash:/ { print $3, $5, $7, $11, $13, $15 }' <<<"$res")
    read -r "p50[$side]" "p99[$side]" "max[$side]" < <(awk '/^latency_us:/ { print $3, $7, $9 }' <<<"$res")
  done
  last_answered=$((${answered[a]:-0} + ${answered[b]:-0}))
  local longest
  longest=$(awk -v a="${secs[a]:-0}" -v b="${secs[b]:-0}" 'BEGIN { print (a > b ? a : b) }')
  last_rps=$(awk -v n="$last_answered" -v s="$longest" 'BEGIN { if (s > 0) printf "%.1f", n / s; else print 0 }')
  last_row="| $name | $last_rps | $(us_to_ms "${p50[a]}" 2) / $(us_to_ms "${p50[b]}" 2) | $(us_to_ms "${p99[a]}" 2) / $(us_to_ms "${p99[b]}" 2) | $(us_to_ms "${max[a]}" 1) / $(us_to_ms "${max[b]}" 1) | $((${ok[a]:-0} + ${ok[b]:-0}))/$((${empty[a]:-0} + ${empty[b]:-0}))/$((${other[a]:-0} + ${other[b]:-0})) in $longest s | $(awk -v t=$((t1 - t0)) -v n="$last_answered" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "?" }') |"
}

# One size on PostgreSQL: the ceiling, then the same pools as SQLite with 1 and/or 2 replicas.
measure_postgres() {  # SIZE
  local size=$1 n ws set r ld s0 s1 pgcpu ceiling_rps ceiling_cpu cpu urls
  n=$(count_of "$size")
  ensure_query_sets "$size"
  pg_prepare_db "$size"
  ws=$(pg_sql "$pg_uri" "SELECT id FROM workspaces WHERE external_id = '$team'")
  ((prepare_only)) && return 0

  note "## $size lessons ($n) on PostgreSQL"
  note ""
  note "- PostgreSQL $(pg_sql "$pg_admin_uri" "SHOW server_version"), cluster in bench/data/pg, fsync/synchronous_commit/full_page_writes on (defaults), set: ${pg_settings[*]}"
  local bytes
  bytes=$(pg_sql "$pg_admin_uri" "SELECT pg_database_size('$pg_db')")
  note "- database: $bytes bytes, $((bytes / n)) bytes per lesson (pg_database_size, after VACUUM)"
  note "- import (when the database was made, in parts of 100,000, import and PostgreSQL on '${pin_server[*]}'): $(cat "$pg_dir/$pg_db.import-seconds") s, $(awk -v n="$n" -v s="$(cat "$pg_dir/$pg_db.import-seconds")" 'BEGIN { printf "%.0f", n / s }') lessons/s, then VACUUM ANALYZE $(cat "$pg_dir/$pg_db.vacuum-seconds") s (load then $(cat "$pg_dir/$pg_db.import-load"))"
  for set in mix rare middle common zipf; do
    note "- $set set on PostgreSQL: $(python3 "$root/bench/pg_coverage.py" --uri "$pg_uri" --workspace-id "$ws" \
      --queries "$qdir/$set.txt" --psql "$pg_bin/psql" 2>&1)"
  done
  note "- pinned: PostgreSQL (postmaster and every backend) and every serve '${pin_server[*]}', every wrk '${pin_load[*]}'; CPU ms/req counts serve and all of PostgreSQL's processes"

  IFS=, read -r -a replica_list <<<"$replicas"
  for r in "${replica_list[@]}"; do
    note ""
    start_server "$pg_uri"
    urls=("$server_url")
    cpu="$server_pid pg"
    if ((r == 2)); then
      start_server2 "$pg_uri"
      urls+=("http://127.0.0.1:$server2_port")
      cpu="$server_pid $server2_pid pg"
      note "### two replicas: serve on :$server_port and :$server2_port, one PostgreSQL; two wrk, 16 connections each, one per replica"
    else
      note "### one replica: serve on :$server_port, wrk with 32 connections"
    fi
    note ""
    note "- start-up to /healthz: ${startup_ms} ms; RSS after start-up: $(($(status_kib "$server_pid" VmRSS) / 1024)) MiB"
    # Warm-up as for SQLite: filter-only searches, not the measured words.
    printf '%s\n' "tag:email" "tag:seo outcome:worked" "outcome:flopped" "tag:paid" "tag:events" \
      "tag:content outcome:change" "tag:social" "outcome:insight tag:offers" >"$data/warm.txt"
    sign "$data/warm.txt" "$data/pool-warm"
    local duration_saved=$duration u
    duration=3
    for u in "${urls[@]}"; do run_wrk warm-up "$server_pid" "$u" "$data/pool-warm" "" cycle; done
    duration=$duration_saved
    wait_idle "$cpu"
    note ""
    note "| run (load avg 1/5/15 before) | req/s | p50 ms | p99 ms | max ms | results/empty/other | CPU ms/req | of which PostgreSQL | PG sessions opened | of ceiling | of ceiling by CPU |"
    note "|---|---|---|---|---|---|---|---|---|---|---|"
    sign "$qdir/mix.txt" "$data/pool-ceiling"
    ld=$(load_now)
    run_wrk "bare ceiling ($ld)" "$ceiling_pid" "http://127.0.0.1:$ceiling_port" "$data/pool-ceiling" '"ok":true' cycle
    ceiling_rps=$last_rps
    ceiling_cpu=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
    note "$last_row | | 100% | 100% |"
    for set in mix rare middle common zipf; do
      sign "$qdir/$set.txt" "$data/pool-$set"
      for u in "${urls[@]}"; do
        python3 "$root/bench/check_answers.py" --url "$u" --pool "$data/pool-$set" --n 10 \
          >>"$log" 2>&1 || { note "| $set | answers from $u carry no results: see $log | | | | | | | | | |"; continue 2; }
      done
      sign "$qdir/$set.txt" "$data/pool-$set"  # fresh timestamps for the run itself
      ld=$(load_now)
      s0=$(pg_sessions "$pg_db")
      if ((r == 2)); then
        run_wrk_pair "search $set, 2 replicas ($ld)" "$cpu" "${urls[0]}" "${urls[1]}" "$data/pool-$set"
      else
        run_wrk "search $set ($ld)" "$cpu" "$server_url" "$data/pool-$set"
      fi
      s1=$(pg_sessions "$pg_db")
      pgcpu=$(awk -v t="$last_pg_ticks" -v n="$last_answered" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "?" }')
      local total
      total=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
      note "$last_row $pgcpu | $((s1 - s0)) | $(awk -v a="$last_rps" -v b="$ceiling_rps" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "?" }') | $(awk -v c="$ceiling_cpu" -v r="$total" 'BEGIN { if (r > 0) printf "%.1f%%", 100 * c / r; else print "?" }') |"
    done
    if ((r == 1)); then
      # One connection: one search's own cost, without queueing (as for SQLite with --store both).
      for set in common middle; do
        tail -n +2000 "$qdir/$set.txt" >"$data/$set-one.txt"
        sign "$data/$set-one.txt" "$data/pool-$set-one"
        conns=1
        ld=$(load_now)
        s0=$(pg_sessions "$pg_db")
        run_wrk "search $set, 1 connection ($ld)" "$cpu" "$server_url" "$data/pool-$set-one"
        s1=$(pg_sessions "$pg_db")
        conns=32
        note "$last_row $(awk -v t="$last_pg_ticks" -v n="$last_answered" 'BEGIN { if (n > 0) printf "%.3f", t * 10 / n; else print "?" }') | $((s1 - s0)) | | |"
      done
    fi
    note ""
    if ((r == 2)); then
      note "- peak RSS of serve (VmHWM) over these runs: $(($(status_kib "$server_pid" VmHWM) / 1024)) MiB and $(($(status_kib "$server2_pid" VmHWM) / 1024)) MiB; PostgreSQL's processes after them (Pss, shared buffers counted once): $(pg_pss_mib) MiB"
      stop_pid "$server2_pid"
      forget_pid "$server2_pid"
    else
      note "- peak RSS of serve (VmHWM) over these runs: $(($(status_kib "$server_pid" VmHWM) / 1024)) MiB; PostgreSQL's processes after them (Pss, shared buffers counted once): $(pg_pss_mib) MiB"
    fi
    stop_server
  done
  note ""
}

note "# Lessonbook benchmark $stamp"
note ""
note "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); $(uname -sr)"
note "Commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' (with local changes)'); load at start: $(load_now)"
note "wrk: 1 thread, 32 connections, ${duration} s per run, pinned: server '${pin_server[*]}', wrk '${pin_load[*]}'"
note ""

IFS=, read -r -a size_list <<<"$sizes"
sqlite_sizes=("${size_list[@]}")
[[ $store == postgres ]] && sqlite_sizes=()  # measure_postgres prepares what it needs
for size in "${sqlite_sizes[@]}"; do
  n=$(count_of "$size")
  prepare_db "$size"
  ws=$(workspace_id "$db")
  qdir=$data/queries-$size
  if [[ ! -s $qdir/mix.txt || ! -s $qdir/filters.txt ]]; then
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
  wait_idle "$server_pid"

  note ""
  note "| run (load avg 1/5/15 before) | req/s | p50 ms | p99 ms | max ms | results/empty/other | CPU ms/req | of ceiling | of ceiling by CPU |"
  note "|---|---|---|---|---|---|---|---|---|"
  sign "$qdir/mix.txt" "$data/pool-ceiling"
  ld=$(load_now)
  run_wrk "bare ceiling ($ld)" "$ceiling_pid" "http://127.0.0.1:$ceiling_port" "$data/pool-ceiling" '"ok":true' cycle
  ceiling_rps=$last_rps
  ceiling_cpu=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
  note "$last_row 100% | 100% |"
  # filters: listings by tag and date alone (bench/make_queries.py), not part of the mix.
  for set in mix rare middle common zipf filters; do
    sign "$qdir/$set.txt" "$data/pool-$set"
    python3 "$root/bench/check_answers.py" --url "$server_url" --pool "$data/pool-$set" --n 10 \
      >>"$log" 2>&1 || { note "| $set | answers carry no results: see $log | | | | | |"; continue; }
    sign "$qdir/$set.txt" "$data/pool-$set"  # fresh timestamps for the run itself
    ld=$(load_now)
    run_wrk "search $set ($ld)" "$server_pid" "$server_url" "$data/pool-$set"
    cpu=$(awk -F'|' '{ gsub(/ /, "", $8); print $8 }' <<<"$last_row")
    note "$last_row $(awk -v a="$last_rps" -v b="$ceiling_rps" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "?" }') | $(awk -v c="$ceiling_cpu" -v r="$cpu" 'BEGIN { if (r > 0) printf "%.1f%%", 100 * c / r; else print "?" }') |"
  done
  if [[ $size == 1m || $store == both ]]; then
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

if [[ $store != sqlite ]]; then
  if [[ $replicas == *2* ]]; then
    note "Two replicas are measured on PostgreSQL only: several serve processes on one SQLite file are not a supported deployment."
    note ""
  fi
  for size in "${size_list[@]}"; do measure_postgres "$size"; done
fi

((prepare_only)) && { echo "prepared: ${size_list[*]}"; exit 0; }
if [[ $store == postgres ]]; then  # the writes below are measured on SQLite
  cleanup
  note "load at end: $(load_now)"
  echo "results: $out (details: $log)"
  exit 0
fi

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

# ---- post-mortem answers: lessons stored per second through DM answers (engine + store) ----
note ""
note "## Post-mortem answers"
note ""
for pm_from in "" "$data/lessons-$first.db"; do
  ld=$(load_now)
  pm_args=(--db "$data/postmortem.db" --campaigns 200 --participants 5)
  [[ -n $pm_from ]] && pm_args+=(--from "$pm_from")
  pm_line=$(timeout 600 "${pin_server[@]}" "$postmortem_bench" "${pm_args[@]}" 2>>"$log")
  note "- ${pm_from:+on a copy of the $first database: }$pm_line (load $ld)"
done
rm -f "$data/postmortem.db" "$data/postmortem.db-wal" "$data/postmortem.db-shm"

cleanup
note ""
note "load at end: $(load_now)"
echo "results: $out (details: $log)"
