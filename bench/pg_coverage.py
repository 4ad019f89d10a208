#!/usr/bin/env python3
"""Counts the queries of a benchmark query set that find nothing on the PostgreSQL store.

Usage: pg_coverage.py --uri postgres://... --workspace-id N --queries FILE [--sample 3000]
                      [--psql PATH]

The query sets (bench/make_queries.py) are built from the SQLite store's FTS5 index (Porter
stemming), so every query finds at least one lesson there with all its words. PostgreSQL stems
with Snowball English, which differs slightly. This asks PostgreSQL, for up to --sample queries
taken evenly from FILE, whether any lesson of the workspace matches the query the way the store
searches (storage/postgres/pg_search.cpp): each word through plainto_tsquery('lessonbook_english',
…), joined with && (all words) and, as the store's fallback, with || (any word). Prints one line:

  coverage: queries Q all-words-none A any-word-none E  (examples of all-words misses: …)

A query with no all-words match is answered with the any-word fallback ("lessons with some of
the words"); one with no any-word match gets "No lessons match". Exit status 0 (a report, not a
check: bench/run.sh prints the figures).
"""

import argparse
import subprocess
import sys

CONFIG = "'lessonbook_english'"


def literal(s):
    return "'" + s.replace("'", "''") + "'"


def words_of(query):
    words = query.split()
    if words and words[0] == "search":  # make_queries.py's prefix for queries starting with a verb
        words = words[1:]
    return words


def matches(ws, words, join):
    tsq = f" {join} ".join(f"plainto_tsquery({CONFIG}, {literal(w)})" for w in words)
    return (f"EXISTS (SELECT 1 FROM lessons AS l WHERE l.workspace_id = {ws} "
            f"AND l.search @@ ({tsq}))")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uri", required=True)
    ap.add_argument("--workspace-id", type=int, required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--sample", type=int, default=3000)
    ap.add_argument("--psql", default="psql")
    args = ap.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        queries = list(dict.fromkeys(line.strip() for line in f if line.strip()))
    step = max(1, len(queries) // max(1, args.sample))
    sample = [q for q in queries[::step][:args.sample] if words_of(q)]
    if not sample:
        sys.exit(f"pg_coverage: no queries in {args.queries}")
    rows = ",\n".join(
        f"({literal(q)}, {matches(args.workspace_id, words_of(q), '&&')}, "
        f"{matches(args.workspace_id, words_of(q), '||')})" for q in sample)
    sql = ("SELECT q, a, b FROM (VALUES\n" + rows + "\n) AS t(q, a, b) WHERE NOT a OR NOT b;\n")
    out = subprocess.run([args.psql, "-X", "-q", "-t", "-A", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                          "-d", args.uri, "-f", "-"],
                         input=sql, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"pg_coverage: psql failed: {out.stderr.strip()[:500]}")
    misses = [line.split("\t") for line in out.stdout.splitlines() if line.strip()]
    all_none = [m[0] for m in misses if m[1] == "f"]
    any_none = [m[0] for m in misses if m[2] == "f"]
    examples = "; ".join(all_none[:5])
    print(f"coverage: queries {len(sample)} all-words-none {len(all_none)} "
          f"any-word-none {len(any_none)}" + (f"  (e.g. {examples})" if examples else ""))


if __name__ == "__main__":
    main()
