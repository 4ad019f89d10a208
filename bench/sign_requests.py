#!/usr/bin/env python3
"""Pre-signs a pool of Slack `/lessons` slash commands for wrk (whose Lua has no HMAC).

Usage: sign_requests.py --secret S --team T --queries FILE --out FILE [--prefix "add "]
                        [--count N] [--response-base URL]

Each line of FILE becomes one form-encoded slash-command body, signed as Slack does:
X-Slack-Signature = v0=hex(HMAC-SHA256(secret, "v0:{timestamp}:{body}")), with the timestamp of
now (Slack's window is 5 minutes: sign just before the run). Output lines are
"timestamp<TAB>signature<TAB>body" for bench/slash.lua. --count repeats the file's lines in order
until N lines (0: each line once). --response-base is where the commands' response_url points
(bench/run.sh: the loopback ceiling server, so an answer deferred past the 3-second budget is
delivered on 127.0.0.1, never to Slack).
"""

import argparse
import hashlib
import hmac
import time
import urllib.parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--secret", required=True)
    ap.add_argument("--team", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--response-base", default="https://hooks.slack.com")
    args = ap.parse_args()

    with open(args.queries, encoding="utf-8") as f:
        queries = [line.strip() for line in f if line.strip()]
    if args.count > 0:
        queries = [queries[i % len(queries)] for i in range(args.count)]
    key = args.secret.encode()
    ts = str(int(time.time()))
    with open(args.out, "w", encoding="utf-8") as out:
        for i, q in enumerate(queries):
            body = urllib.parse.urlencode({
                "token": "bench-verification-token",
                "team_id": args.team,
                "team_domain": "bench",
                "channel_id": "C0BENCH",
                "channel_name": "marketing",
                "user_id": "U0BENCH",
                "user_name": "bench",
                "command": "/lessons",
                "text": args.prefix + q,
                "api_app_id": "A0BENCH",
                "is_enterprise_install": "false",
                "response_url": f"{args.response_base}/commands/{args.team}/{i}/bench",
                "trigger_id": f"{i}.1.bench",
            })
            mac = hmac.new(key, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
            out.write(f"{ts}\tv0={mac}\t{body}\n")


if __name__ == "__main__":
    main()
