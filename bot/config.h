// Config: every setting of Lessonbook in one struct, read from the environment and an optional
// KEY=VALUE file (the environment wins). Each field names the variable that sets it.
// Secrets (tokens, passwords, keys) are never logged: Describe() redacts them.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/status.h"

namespace lessonbook {

struct Config {
  // LESSONBOOK_LISTEN. Default: 127.0.0.1:8080. Host and port the server binds.
  std::string listen = "127.0.0.1:8080";
  // LESSONBOOK_DB. Default: ./lessonbook.db. A SQLite file path (later: postgres://…).
  std::string db = "./lessonbook.db";
  // LESSONBOOK_PUBLIC_URL. Default: none. The URL people reach the server at (links).
  std::string public_url;
  // LESSONBOOK_DATA_KEY. Default: none. 32 bytes in base64; encrypts secrets at rest.
  std::string data_key;
  // LESSONBOOK_DATA_KEY_NEW. Default: none. The key `lessonbook rotate-key` re-encrypts the
  // stored secrets under (same form as LESSONBOOK_DATA_KEY); unused by everything else.
  std::string data_key_new;
  // LESSONBOOK_WEB_TOKEN. Default: none. Required by the web chat unless it is open (IsWebOpen).
  std::string web_token;
  // LESSONBOOK_TRUSTED_PROXIES. Default: none. Comma-separated IP addresses and CIDR ranges
  // (10.0.0.0/8, ::1) whose X-Forwarded-For is believed; parsed strictly (bot/ip_ranges.h).
  std::string trusted_proxies;
  // LESSONBOOK_PROMPTS_DIR. Default: prompts. Post-mortem question sets
  // (postmortem.<id>.ini) that override the built-in ones; a missing folder means built-ins.
  std::string prompts_dir = "prompts";
  // LESSONBOOK_TIMEZONE. Default: UTC. The timezone of workspaces created without one.
  std::string timezone = "UTC";
  // LESSONBOOK_THREADS. Default: 32. HTTP worker threads (each keep-alive client holds one).
  int threads = 32;
  // LESSONBOOK_MAX_BODY_BYTES. Default: 1048576. Larger request bodies get 413.
  std::size_t max_body_bytes = 1 << 20;
  // LESSONBOOK_MAX_HEADER_BYTES. Default: 16384. Larger request heads get 431.
  std::size_t max_header_bytes = 16 << 10;
  // LESSONBOOK_READ_TIMEOUT_SECONDS. Default: 5. Longest wait for a slow client's next bytes
  // (and for it to take the answer's); then the connection is closed (408 / dropped).
  int read_timeout_seconds = 5;
  // LESSONBOOK_REQUEST_TIMEOUT_SECONDS. Default: 20. A connection must deliver a whole request
  // (head and body) within this long of being accepted or answered, else it is closed: slow
  // clients cannot hold worker threads. Idle keep-alive connections count as waiting. 0: off.
  int request_timeout_seconds = 20;
  // LESSONBOOK_KEEP_ALIVE_SECONDS. Default: 60. An idle keep-alive connection (which holds a
  // worker thread) is closed after this long.
  int keep_alive_seconds = 60;
  // LESSONBOOK_WEB_RATE_PER_MINUTE / LESSONBOOK_WEB_BURST. Default: 120 / 60. Requests a minute
  // (and at once) one client address may make to the web routes (/, /book…, /slack/install);
  // more get 429 with Retry-After. 0 turns the limit off.
  int web_rate_per_minute = 120;
  int web_burst = 60;
  // LESSONBOOK_WORKSPACE_RATE_PER_MINUTE / LESSONBOOK_WORKSPACE_BURST. Default: 600 / 300.
  // Verified platform requests (Slack, Teams) a minute (and at once) per workspace; more get a
  // 200 with a "slow down" notice and are not handled. 0 turns the limit off.
  int workspace_rate_per_minute = 600;
  int workspace_burst = 300;
  // LESSONBOOK_OUTBOX_LEASE_SECONDS. Default: 60. How long a claimed outbox message stays with
  // the process that claimed it; after a crash it is sent again when the lease runs out.
  int outbox_lease_seconds = 60;
  // LESSONBOOK_BOOK_LINK_DAYS. Default: 7. How long a personal Book of Learning link (from
  // `book` or `export`) works, 1 to 90 days.
  int book_link_days = 7;
  // LESSONBOOK_LOG_LEVEL. Default: info. debug|info|warn|error.
  std::string log_level = "info";

  // SLACK_SIGNING_SECRET, SLACK_BOT_TOKEN (single workspace), SLACK_CLIENT_ID /
  // SLACK_CLIENT_SECRET (OAuth install), SLACK_API_BASE (default https://slack.com/api).
  std::string slack_signing_secret;
  std::string slack_bot_token;
  std::string slack_client_id;
  std::string slack_client_secret;
  std::string slack_api_base = "https://slack.com/api";

  // TEAMS_APP_ID, TEAMS_APP_PASSWORD, TEAMS_TENANT_ID, TEAMS_OPENID_METADATA_URL,
  // TEAMS_TOKEN_URL, TEAMS_SERVICE_URL_ALLOWLIST.
  std::string teams_app_id;
  std::string teams_app_password;
  std::string teams_tenant_id;
  std::string teams_openid_metadata_url =
      "https://login.botframework.com/v1/.well-known/openidconfiguration";
  std::string teams_token_url;
  std::string teams_service_url_allowlist;

  bool HasSlackCredentials() const;
  bool HasTeamsCredentials() const;
  bool HasPlatformCredentials() const { return HasSlackCredentials() || HasTeamsCredentials(); }
  // The web chat needs no token when no platform credentials and no public URL are set; the
  // server also requires a loopback Host for that (IsLoopbackHost).
  bool WebOpenWithoutToken() const { return !HasPlatformCredentials() && public_url.empty(); }
  // Host and port of `listen`. REQUIRES: Check() found no problem with it.
  std::string ListenHost() const;
  int ListenPort() const;

  // Every setting with its variable name, secrets redacted; for `check-config` and start-up.
  std::vector<std::pair<std::string, std::string>> Describe() const;
};

// Returns the value of an environment variable, or nullopt.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
EnvLookup ProcessEnvironment();

// Reads the file (when not empty), then the environment on top. InvalidArgument naming the file
// and line for a malformed file or a malformed number.
Result<Config> LoadConfig(const EnvLookup& env, const std::string& file);

// Problems a person must fix, in plain words ("LESSONBOOK_LISTEN: '8080' is not host:port, e.g.
// 127.0.0.1:8080"). Empty when the configuration is usable.
std::vector<std::string> CheckConfig(const Config& config);

// True for "localhost", "127.x.x.x", "[::1]" and "::1", with or without ":port".
bool IsLoopbackHost(std::string_view host_header);

// A database location safe to show and log: a postgres:// URI's password (user:PASSWORD@ or
// password=…) becomes "***"; a file path is returned as is.
std::string RedactDbLocation(std::string_view location);

}  // namespace lessonbook
