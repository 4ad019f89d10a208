#!/usr/bin/env python3
"""Sends a few pre-signed slash commands (bench/sign_requests.py output) and checks the answers.

Usage: check_answers.py --url URL --pool FILE [--n 20] [--expect REGEX]

Exits 1 unless every answer is HTTP 200 and matches REGEX (default: a list of lessons, "N
lessons for ..."). Run before each timed run: a benchmark of error pages or empty answers
measures nothing.
"""

import argparse
import re
import sys
import urllib.request


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--pool", required=True)
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--expect", default=r' lessons? for \\?"')
    args = ap.parse_args()
    expect = re.compile(args.expect)
    with open(args.pool, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    step = max(1, len(lines) // args.n)
    bad = 0
    checked = 0
    for line in lines[::step][:args.n]:
        ts, sig, body = line.split("\t", 2)
        req = urllib.request.Request(args.url + "/slack/commands", data=body.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig})
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, text = r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            status, text = e.code, e.read().decode("utf-8", "replace")
        checked += 1
        if status != 200 or not expect.search(text):
            bad += 1
            if bad <= 3:
                print(f"check: bad answer {status}: {text[:300]}", file=sys.stderr)
    print(f"check: {checked - bad}/{checked} answers carry results")
    sys.exit(1 if bad or checked == 0 else 0)


if __name__ == "__main__":
    main()
