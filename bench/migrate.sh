#!/usr/bin/env bash
# Times `lessonbook migrate` both ways at N lessons: a SQLite file filled by `lessonbook import`
# from bench/gen_corpus.py's corpus, copied into a throwaway PostgreSQL cluster on 127.0.0.1, then
# back into a new SQLite file. Prints the command's own report (copy and verification times).
#
# Usage: bench/migrate.sh [N] [--build DIR]   (default 20000 lessons, build dir "build")
# Needs the built lessonbook, python3 and Debian's postgresql (initdb, pg_ctl, createdb from
# /usr/lib/postgresql/<newest>/bin or LESSONBOOK_PG_BIN). As root, PostgreSQL runs as `postgres`.
# Everything lives in a temporary directory, removed (and the server stopped) on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
n=20000
build=build
while [[ $# -gt 0 ]]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    *) n=$1; shift ;;
  esac
done
lessonbook=$root/$build/lessonbook
[[ -x $lessonbook ]] || { echo "no $lessonbook: build it first" >&2; exit 2; }
pgbin=${LESSONBOOK_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[[ -x $pgbin/initdb ]] || { echo "no initdb: install postgresql (deploy/install-deps.sh --test)" >&2; exit 2; }

work=$(mktemp -d /tmp/lessonbook-migrate-bench.XXXXXX)
as_pg=()
if [[ $(id -u) == 0 ]]; then
  chown postgres "$work"
  as_pg=(/usr/sbin/runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --locale C.UTF-8 \
  --no-sync >"$work/initdb.log" 2>&1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work" start >/dev/null
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres lessonbook
uri="postgres://postgres:bench@127.0.0.1:$port/lessonbook"

echo "generating $n lessons"
python3 "$root/bench/gen_corpus.py" --count "$n" --seed 7 --workspace T0BENCH --out "$work/raw.jsonl"
# Into the default (local web) workspace: drop the corpus's workspace field.
python3 -c '
import json, sys
with open(sys.argv[1]) as src, open(sys.argv[2], "w") as out:
    for line in src:
        row = json.loads(line); row.pop("workspace", None); out.write(json.dumps(row) + "\n")
' "$work/raw.jsonl" "$work/lessons.jsonl"
LESSONBOOK_DB=$work/source.db "$lessonbook" import "$work/lessons.jsonl" | tail -1
echo "source: $(du -h "$work/source.db" | cut -f1) SQLite file"

echo "== SQLite -> PostgreSQL"
/usr/bin/time -f "wall %e s, max RSS %M KiB" \
  "$lessonbook" migrate --from "sqlite://$work/source.db" --to "$uri" 2>&1 |
  grep -v ' 0 *0$' | grep -v '^20..-..-..T'
echo "== PostgreSQL -> SQLite"
/usr/bin/time -f "wall %e s, max RSS %M KiB" \
  "$lessonbook" migrate --from "$uri" --to "sqlite://$work/back.db" 2>&1 |
  grep -v ' 0 *0$' | grep -v '^20..-..-..T'
