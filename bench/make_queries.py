#!/usr/bin/env python3
"""Builds the benchmark's seeded query sets from a loaded Lessonbook database.

Usage: make_queries.py --db FILE --workspace-id N --seed S --out DIR [--per-group N]

Words are taken from the lessons themselves and put into three groups by the share of the
workspace's lessons that contain them, counted by the real FTS5 index (so stemming is the
server's): rare (under 0.1%), middle (0.1% to 5%), common (over 5%). A query is 1 to 3 words of
one group taken from one lesson, so all-words search finds at least that lesson. Writes to DIR:
  rare.txt middle.txt common.txt   distinct queries of each group, never repeated
  mix.txt                          distinct queries drawn 40% / 40% / 20% from the groups (the
                                   first halves of the group lists; the group runs use the rest)
  zipf.txt                         queries repeated as real teams search (Zipf, s = 1.1, over
                                   a few thousand popular queries of all groups)
  filters.txt                      distinct listings by filters alone, `tag:T since:DATE` (a
                                   tag of the workspace, a start at least 180 days before its
                                   newest lesson), reported on their own, not in the mix
  stats.json                       how many words and queries each group has, their shares
"""

import argparse
import datetime
import json
import os
import random
import re
import sqlite3
import sys

# Words a person does not search for alone; they are not counted as search words.
STOPWORDS = set("""a an and are as at be but by did do does for from had has have in into is it
its more most not of on or so than that the their then there these this those to too was we were
what when which who why will with would our us you your after before per next time same first
few long only""".split())

WORD = re.compile(r"[a-z][a-z'-]{2,}")

# First words that make `/lessons ...` a command other than search (bot/command_parser.cpp): a
# query starting with one of them is sent as "search ...", as a person would have to.
VERBS = set("""help add new edit delete remove rm del digest digests campaign campaigns postmortem
post-mortem settings setting book export search find""".split())


def fts_count(db, ws, word):
    match = f'ws:"w{ws}" AND {{title body tags campaign}} : "{word}"'
    return db.execute("SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH ?",
                      (match,)).fetchone()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--workspace-id", type=int, required=True)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--out", required=True)
    ap.add_argument("--per-group", type=int, default=60000,
                    help="most distinct queries to build per group")
    ap.add_argument("--zipf-count", type=int, default=200000)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    ws = args.workspace_id
    total = db.execute("SELECT count(*) FROM lessons WHERE workspace_id = ?", (ws,)).fetchone()[0]
    if total == 0:
        sys.exit(f"make_queries: workspace {ws} has no lessons in {args.db}")
    ids = [r[0] for r in db.execute("SELECT id FROM lessons WHERE workspace_id = ?", (ws,))]
    rng.shuffle(ids)
    sample_ids = ids[:min(len(ids), 40000)]

    docs = []  # the words of each sampled lesson
    for start in range(0, len(sample_ids), 500):
        chunk = sample_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT title || ' ' || body || ' ' || campaign FROM lessons WHERE id IN ({marks})",
            chunk).fetchall()
        for (text,) in rows:
            words = {w.strip("'-") for w in WORD.findall(text.lower())}
            docs.append(sorted(w for w in words if len(w) >= 3 and w not in STOPWORDS))
    rng.shuffle(docs)

    vocabulary = sorted({w for d in docs for w in d})
    share = {}
    for w in vocabulary:
        share[w] = fts_count(db, ws, w) / total
    rare_max, common_min = 0.001, 0.05

    def group_of(w):
        s = share.get(w, 0.0)
        if s <= 0:
            return None
        if s < rare_max:
            return "rare"
        if s <= common_min:
            return "middle"
        return "common"

    groups = {"rare": [], "middle": [], "common": []}
    seen = set()
    # Several passes over the sampled lessons, each taking one query per lesson and group.
    for _ in range(30):
        progress = False
        for d in docs:
            by_group = {"rare": [], "middle": [], "common": []}
            for w in d:
                g = group_of(w)
                if g:
                    by_group[g].append(w)
            for g, words in by_group.items():
                if not words or len(groups[g]) >= args.per_group:
                    continue
                n = rng.choice((1, 1, 2, 2, 3))
                q = " ".join(rng.sample(words, min(n, len(words))))
                if q.split(" ", 1)[0] in VERBS:
                    q = "search " + q
                if q in seen:
                    continue
                seen.add(q)
                groups[g].append(q)
                progress = True
        if not progress or all(len(v) >= args.per_group for v in groups.values()):
            break

    os.makedirs(args.out, exist_ok=True)
    for g, qs in groups.items():
        rng.shuffle(qs)
    halves = {g: (qs[:len(qs) // 2], qs[len(qs) // 2:]) for g, qs in groups.items()}
    for g, (_, second) in halves.items():
        with open(os.path.join(args.out, f"{g}.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(second) + "\n")
    mix_n = int(min(len(halves["rare"][0]) / 0.4, len(halves["middle"][0]) / 0.4,
                    len(halves["common"][0]) / 0.2))
    mix = (halves["rare"][0][:int(mix_n * 0.4)] + halves["middle"][0][:int(mix_n * 0.4)] +
           halves["common"][0][:int(mix_n * 0.2)])
    rng.shuffle(mix)
    with open(os.path.join(args.out, "mix.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(mix) + "\n")

    popular = (groups["common"][:300] + groups["middle"][:1500] + groups["rare"][:1200])
    rng.shuffle(popular)
    weights = [1.0 / (i + 1) ** 1.1 for i in range(len(popular))]
    zipf = rng.choices(popular, weights=weights, k=args.zipf_count)
    with open(os.path.join(args.out, "zipf.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(zipf) + "\n")

    # Own generator: the word sets above stay as they were before this set existed.
    frng = random.Random(args.seed + 1)
    tags = sorted({t for (text,) in db.execute(
        "SELECT tags FROM lessons WHERE workspace_id = ? LIMIT 20000", (ws,)) for t in text.split()})
    first, last = db.execute(
        "SELECT min(created_at), max(created_at) FROM lessons WHERE workspace_id = ?", (ws,)).fetchone()
    filters = set()
    last_start_day = max(first // 86400, (last - 180 * 86400) // 86400)
    while tags and len(filters) < min(3000, len(tags) * (last_start_day - first // 86400 + 1)):
        day = frng.randrange(first // 86400, last_start_day + 1)
        since = datetime.datetime.fromtimestamp(day * 86400, datetime.timezone.utc).date()
        filters.add(f"tag:{frng.choice(tags)} since:{since.isoformat()}")
    filters = sorted(filters)
    frng.shuffle(filters)
    with open(os.path.join(args.out, "filters.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(filters) + "\n")

    stats = {
        "lessons": total,
        "sampled_lessons": len(docs),
        "vocabulary": len(vocabulary),
        "words_per_group": {g: sum(1 for w in vocabulary if group_of(w) == g)
                            for g in ("rare", "middle", "common")},
        "queries_per_group_run": {g: len(h[1]) for g, h in halves.items()},
        "mix_queries": len(mix),
        "zipf_queries": len(zipf),
        "zipf_distinct": len(set(zipf)),
        "filter_queries": len(filters),
        "common_words_top": sorted(((round(share[w] * 100, 1), w) for w in vocabulary
                                    if group_of(w) == "common"), reverse=True)[:15],
    }
    with open(os.path.join(args.out, "stats.json"), "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps({k: v for k, v in stats.items() if k != "common_words_top"}))


if __name__ == "__main__":
    main()
