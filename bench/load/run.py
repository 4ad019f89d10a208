#!/usr/bin/env python3
"""Bounded loopback load test of the real `lessonbook serve` (not part of CI's pass/fail).

Starts a fake Slack Web API (auth.test, chat.*, response_url: answers {"ok": true}) and
`build/lessonbook serve` on 127.0.0.1 with a fresh database, then runs N concurrent clients of
mixed traffic for D seconds:
  - signed Slack slash commands: searches (most) and `add` (writes),
  - signed Events API events (app_mention / message.im, a new event_id each),
  - web chat messages (POST /web/messages with the web token), searches and adds,
  - GET /healthz, and GET / (the web page: limited per address, so 429s are deliberate),
  - a few forged Slack requests (deliberate 401s).
Each client opens a connection per request (as Slack does). At the end it prints and writes
JSON figures: requests, rate, p50/p90/p99/max latency per kind, statuses, peak RSS (VmHWM) of
the server, and every unexpected answer. Servers are stopped by their PID (SIGTERM, then SIGKILL).

Usage: python3 bench/load/run.py [--clients 200] [--seconds 60] [--binary build/lessonbook]
                                 [--out bench/load/last-run.json]
Exit status 0 when no answer other than 2xx and the deliberate 401/429 came back.
"""
import argparse
import hashlib
import hmac
import http.client
import http.server
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

SIGNING_SECRET = "load-signing-secret"
WEB_TOKEN = "load-web-token"
TEAM = "T0LOAD001"
BOT_USER = "U0BOT0001"
WORDS = ["webinar", "subject", "lines", "email", "landing", "pages", "seo", "partner", "co-host",
         "discount", "offer", "launch", "analyst", "influencer", "paid", "social", "testing"]
TAGS = ["email", "seo", "events", "landing-pages", "social", "offers", "testing", "content"]
OUTCOMES = ["worked", "flopped", "change", "insight"]


class FakeSlack(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if self.path.endswith("/auth.test"):
            body = {"ok": True, "team_id": TEAM, "team": "Load", "user_id": BOT_USER,
                    "url": "https://load.slack.com/"}
        elif self.path.endswith("/conversations.open"):
            body = {"ok": True, "channel": {"id": "D0LOAD"}}
        elif self.path.endswith("/users.info"):
            body = {"ok": True, "user": {"id": "U1", "tz": "Europe/Berlin"}}
        else:
            body = {"ok": True, "ts": "1.2", "channel": "C0LOAD"}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def sign(ts, body):
    base = b"v0:" + ts.encode() + b":" + body
    return "v0=" + hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()


def words(rng, n):
    return " ".join(rng.choice(WORDS) for _ in range(n))


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency = {}      # kind -> [seconds]
        self.status = {}       # (kind, status) -> count
        self.unexpected = []   # (kind, status, body)

    def add(self, kind, status, seconds, ok, body):
        with self.lock:
            self.latency.setdefault(kind, []).append(seconds)
            self.status[(kind, status)] = self.status.get((kind, status), 0) + 1
            if not ok and len(self.unexpected) < 50:
                self.unexpected.append((kind, status, body[:200]))


def request(port, method, path, body=b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        h = {"Connection": "close"}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        res = conn.getresponse()
        return res.status, res.read().decode("utf-8", "replace")
    finally:
        conn.close()


def one(port, rng, seq):
    """Sends one request of a random kind; returns (kind, status, body, expected_statuses)."""
    r = rng.random()
    ts = str(int(time.time()))
    if r < 0.30:  # slash command: mostly searches, some adds
        kind = "slash_add" if rng.random() < 0.25 else "slash_search"
        text = (f"add {words(rng, 6)} #{rng.choice(TAGS)} outcome:{rng.choice(OUTCOMES)} n{seq}"
                if kind == "slash_add" else
                f"{words(rng, 2)} tag:{rng.choice(TAGS)}" if rng.random() < 0.3 else words(rng, 2))
        body = urllib.parse.urlencode({
            "team_id": TEAM, "channel_id": "C0LOAD", "user_id": f"U{rng.randrange(50):04d}",
            "user_name": "load", "command": "/lessons", "text": text,
            "response_url": f"http://127.0.0.1:{FAKE_PORT}/response/{seq}",
            "trigger_id": f"{seq}.1.2"}).encode()
        st, b = request(port, "POST", "/slack/commands", body, {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(ts, body)})
        return kind, st, b, (200,)
    if r < 0.55:  # Events API
        user = f"U{rng.randrange(50):04d}"
        if rng.random() < 0.5:
            event = {"type": "app_mention", "user": user, "channel": "C0LOAD",
                     "text": f"<@{BOT_USER}> {words(rng, 2)}", "ts": f"{ts}.{seq:06d}"}
        else:
            event = {"type": "message", "channel_type": "im", "channel": "D0LOAD", "user": user,
                     "text": words(rng, 2), "ts": f"{ts}.{seq:06d}"}
        body = json.dumps({"type": "event_callback", "team_id": TEAM, "api_app_id": "A0LOAD",
                           "event_id": f"Ev{os.getpid()}x{seq}", "event_time": int(ts),
                           "event": event,
                           "authorizations": [{"team_id": TEAM, "user_id": BOT_USER,
                                               "is_bot": True}]}).encode()
        st, b = request(port, "POST", "/slack/events", body, {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sign(ts, body)})
        return "slack_event", st, b, (200,)
    if r < 0.85:  # web chat
        text = (f"add {words(rng, 5)} #{rng.choice(TAGS)} w{seq}" if rng.random() < 0.2
                else words(rng, 2))
        body = json.dumps({"text": text, "user": f"web{rng.randrange(20)}",
                           "client_msg_id": f"load-{os.getpid()}-{seq}"}).encode()
        st, b = request(port, "POST", "/web/messages", body, {
            "Content-Type": "application/json", "Authorization": f"Bearer {WEB_TOKEN}"})
        return "web_chat", st, b, (200,)
    if r < 0.95:
        st, b = request(port, "GET", "/healthz")
        return "healthz", st, b, (200,)
    if r < 0.98:
        st, b = request(port, "GET", "/")
        return "web_page", st, b, (200, 429)
    body = b"team_id=T0LOAD001&text=forged"
    st, b = request(port, "POST", "/slack/commands", body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + "0" * 64})
    return "forged", st, b, (401,)


def client(port, stats, deadline, idx, counter):
    rng = random.Random(idx)
    while time.monotonic() < deadline:
        with counter["lock"]:
            counter["n"] += 1
            seq = counter["n"]
        start = time.monotonic()
        try:
            kind, st, body, expected = one(port, rng, seq)
            stats.add(kind, st, time.monotonic() - start, st in expected, body)
        except (OSError, http.client.HTTPException) as e:
            stats.add("error", 0, time.monotonic() - start, False, repr(e))


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


FAKE_PORT = 0


def main():
    global FAKE_PORT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--binary", default="build/lessonbook")
    ap.add_argument("--threads", type=int, default=32, help="LESSONBOOK_THREADS of the server")
    ap.add_argument("--out", default="bench/load/last-run.json")
    args = ap.parse_args()

    fake = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeSlack)
    fake.daemon_threads = True
    FAKE_PORT = fake.server_address[1]
    threading.Thread(target=fake.serve_forever, daemon=True).start()

    work = tempfile.mkdtemp(prefix="lessonbook-load-")
    env = dict(os.environ,
               LESSONBOOK_DB=os.path.join(work, "lessonbook.db"),
               LESSONBOOK_LISTEN="127.0.0.1:0",
               LESSONBOOK_LOG_LEVEL="warn",
               LESSONBOOK_THREADS=str(args.threads),
               LESSONBOOK_WEB_TOKEN=WEB_TOKEN,
               SLACK_SIGNING_SECRET=SIGNING_SECRET,
               SLACK_BOT_TOKEN="xoxb-load-token",
               SLACK_API_BASE=f"http://127.0.0.1:{FAKE_PORT}/api",
               # The per-workspace limit would answer most of this single workspace's traffic
               # with "slow down" 200s; the test measures the work behind it instead.
               LESSONBOOK_WORKSPACE_RATE_PER_MINUTE="0")
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([args.binary, "serve"], env=env, stdout=subprocess.PIPE,
                              stderr=log, text=True)
    port = 0
    try:
        line = server.stdout.readline()
        if "http://" not in line:
            print("lessonbook did not start:", line, file=sys.stderr)
            return 2
        port = int(line.split("http://", 1)[1].split("/", 1)[0].rsplit(":", 1)[1])
        stats = Stats()
        counter = {"n": 0, "lock": threading.Lock()}
        deadline = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(port, stats, deadline, i, counter))
                   for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        rss = peak_rss_kib(server.pid)
        metrics = request(port, "GET", "/metrics")[1]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        fake.shutdown()
        log.close()

    all_lat = [x for v in stats.latency.values() for x in v]
    kinds = {}
    for kind, lat in sorted(stats.latency.items()):
        kinds[kind] = {"requests": len(lat),
                       "p50_ms": round(percentile(lat, 50) * 1000, 1),
                       "p99_ms": round(percentile(lat, 99) * 1000, 1),
                       "max_ms": round(max(lat) * 1000, 1)}
    statuses = {}
    for (kind, st), n in sorted(stats.status.items()):
        statuses.setdefault(kind, {})[str(st)] = n
    outbox = [l for l in metrics.splitlines() if l.startswith("lessonbook_outbox_pending ")
              or l.startswith("lessonbook_lessons_stored ")]
    result = {"clients": args.clients, "seconds": round(elapsed, 1),
              "server_threads": args.threads,
              "requests": len(all_lat), "requests_per_second": round(len(all_lat) / elapsed, 1),
              "p50_ms": round(percentile(all_lat, 50) * 1000, 1),
              "p90_ms": round(percentile(all_lat, 90) * 1000, 1),
              "p99_ms": round(percentile(all_lat, 99) * 1000, 1),
              "max_ms": round(max(all_lat) * 1000, 1) if all_lat else 0,
              "server_peak_rss_mib": round(rss / 1024, 1),
              "by_kind": kinds, "statuses": statuses, "after": outbox,
              "unexpected": stats.unexpected}
    text = json.dumps(result, indent=2)
    print(text)
    with open(args.out, "w") as f:
        f.write(text + "\n")
    return 0 if not stats.unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
