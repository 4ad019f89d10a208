#include "bot/config.h"

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>

#include "bot/ip_ranges.h"
#include "bot/log.h"

namespace lessonbook {
namespace {

struct Entry {
  const char* name;
  std::string Config::*field;
  bool secret;
};

// Every string setting and its variable; numbers are handled below.
const Entry kEntries[] = {
    {"LESSONBOOK_LISTEN", &Config::listen, false},
    {"LESSONBOOK_DB", &Config::db, false},
    {"LESSONBOOK_PUBLIC_URL", &Config::public_url, false},
    {"LESSONBOOK_DATA_KEY", &Config::data_key, true},
    {"LESSONBOOK_DATA_KEY_NEW", &Config::data_key_new, true},
    {"LESSONBOOK_WEB_TOKEN", &Config::web_token, true},
    {"LESSONBOOK_TRUSTED_PROXIES", &Config::trusted_proxies, false},
    {"LESSONBOOK_TIMEZONE", &Config::timezone, false},
    {"LESSONBOOK_PROMPTS_DIR", &Config::prompts_dir, false},
    {"LESSONBOOK_LOG_LEVEL", &Config::log_level, false},
    {"SLACK_SIGNING_SECRET", &Config::slack_signing_secret, true},
    {"SLACK_BOT_TOKEN", &Config::slack_bot_token, true},
    {"SLACK_CLIENT_ID", &Config::slack_client_id, false},
    {"SLACK_CLIENT_SECRET", &Config::slack_client_secret, true},
    {"SLACK_API_BASE", &Config::slack_api_base, false},
    {"TEAMS_APP_ID", &Config::teams_app_id, false},
    {"TEAMS_APP_PASSWORD", &Config::teams_app_password, true},
    {"TEAMS_TENANT_ID", &Config::teams_tenant_id, false},
    {"TEAMS_OPENID_METADATA_URL", &Config::teams_openid_metadata_url, false},
    {"TEAMS_TOKEN_URL", &Config::teams_token_url, false},
    {"TEAMS_SERVICE_URL_ALLOWLIST", &Config::teams_service_url_allowlist, false},
};

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

bool ParseInt(std::string_view s, long long lo, long long hi, long long* out) {
  if (s.empty() || s.size() > 18) return false;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Splits "host:port" ("[::1]:8080" too). False when malformed.
bool SplitHostPort(std::string_view s, std::string* host, int* port) {
  size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  std::string_view h = s.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  long long p = 0;
  if (!ParseInt(s.substr(colon + 1), 0, 65535, &p)) return false;
  if (h.empty()) return false;
  *host = std::string(h);
  *port = static_cast<int>(p);
  return true;
}

// The abuse-limit numbers (README "Abuse limits").
struct IntSetting {
  const char* name;
  int Config::*field;
  std::size_t Config::*size_field;
  long long lo;
  long long hi;
  const char* what;
};
const IntSetting kIntSettings[] = {
    {"LESSONBOOK_MAX_HEADER_BYTES", nullptr, &Config::max_header_bytes, 1024, 1 << 20,
     "a number of bytes"},
    {"LESSONBOOK_READ_TIMEOUT_SECONDS", &Config::read_timeout_seconds, nullptr, 1, 300,
     "a number of seconds"},
    {"LESSONBOOK_REQUEST_TIMEOUT_SECONDS", &Config::request_timeout_seconds, nullptr, 0, 3600,
     "a number of seconds (0: no limit)"},
    {"LESSONBOOK_KEEP_ALIVE_SECONDS", &Config::keep_alive_seconds, nullptr, 1, 3600,
     "a number of seconds"},
    {"LESSONBOOK_WEB_RATE_PER_MINUTE", &Config::web_rate_per_minute, nullptr, 0, 1000000,
     "a number of requests (0: no limit)"},
    {"LESSONBOOK_WEB_BURST", &Config::web_burst, nullptr, 1, 1000000, "a number of requests"},
    {"LESSONBOOK_WORKSPACE_RATE_PER_MINUTE", &Config::workspace_rate_per_minute, nullptr, 0,
     1000000, "a number of requests (0: no limit)"},
    {"LESSONBOOK_WORKSPACE_BURST", &Config::workspace_burst, nullptr, 1, 1000000,
     "a number of requests"},
};

Status ApplyValue(Config& c, const std::string& name, const std::string& value,
                  const std::string& where) {
  for (const auto& e : kEntries) {
    if (name == e.name) {
      c.*(e.field) = value;
      return Status::Ok();
    }
  }
  long long n = 0;
  if (name == "LESSONBOOK_THREADS") {
    if (!ParseInt(value, 1, 1024, &n)) {
      return Status::InvalidArgument(where + "LESSONBOOK_THREADS must be a whole number from 1 "
                                     "to 1024, got '" + value + "'");
    }
    c.threads = static_cast<int>(n);
    return Status::Ok();
  }
  if (name == "LESSONBOOK_OUTBOX_LEASE_SECONDS") {
    if (!ParseInt(value, 1, 86400, &n)) {
      return Status::InvalidArgument(where + "LESSONBOOK_OUTBOX_LEASE_SECONDS must be a number of "
                                     "seconds from 1 to 86400, got '" + value + "'");
    }
    c.outbox_lease_seconds = static_cast<int>(n);
    return Status::Ok();
  }
  if (name == "LESSONBOOK_BOOK_LINK_DAYS") {
    if (!ParseInt(value, 1, 90, &n)) {
      return Status::InvalidArgument(where + "LESSONBOOK_BOOK_LINK_DAYS must be a number of days "
                                     "from 1 to 90, got '" + value + "'");
    }
    c.book_link_days = static_cast<int>(n);
    return Status::Ok();
  }
  if (name == "LESSONBOOK_MAX_BODY_BYTES") {
    if (!ParseInt(value, 1024, 64LL << 20, &n)) {
      return Status::InvalidArgument(where + "LESSONBOOK_MAX_BODY_BYTES must be a number of "
                                     "bytes from 1024 to 67108864, got '" + value + "'");
    }
    c.max_body_bytes = static_cast<std::size_t>(n);
    return Status::Ok();
  }
  for (const IntSetting& setting : kIntSettings) {
    if (name != setting.name) continue;
    if (!ParseInt(value, setting.lo, setting.hi, &n)) {
      return Status::InvalidArgument(where + setting.name + " must be " + setting.what +
                                     " from " + std::to_string(setting.lo) + " to " +
                                     std::to_string(setting.hi) + ", got '" + value + "'");
    }
    if (setting.field != nullptr) c.*(setting.field) = static_cast<int>(n);
    if (setting.size_field != nullptr) c.*(setting.size_field) = static_cast<std::size_t>(n);
    return Status::Ok();
  }
  return Status::NotFound(name);
}

const char* const kNumberNames[] = {"LESSONBOOK_THREADS", "LESSONBOOK_MAX_BODY_BYTES",
                                    "LESSONBOOK_OUTBOX_LEASE_SECONDS", "LESSONBOOK_BOOK_LINK_DAYS"};

}  // namespace

bool Config::HasSlackCredentials() const {
  return !slack_signing_secret.empty() &&
         (!slack_bot_token.empty() || (!slack_client_id.empty() && !slack_client_secret.empty()));
}

bool Config::HasTeamsCredentials() const {
  return !teams_app_id.empty() && !teams_app_password.empty();
}

std::string Config::ListenHost() const {
  std::string host;
  int port = 0;
  SplitHostPort(listen, &host, &port);
  return host;
}

int Config::ListenPort() const {
  std::string host;
  int port = 0;
  SplitHostPort(listen, &host, &port);
  return port;
}

std::vector<std::pair<std::string, std::string>> Config::Describe() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : kEntries) {
    const std::string& v = this->*(e.field);
    out.emplace_back(e.name, e.secret ? (v.empty() ? "" : Redact(v))
                                      : (e.field == &Config::db ? RedactDbLocation(v) : v));
  }
  out.emplace_back("LESSONBOOK_THREADS", std::to_string(threads));
  out.emplace_back("LESSONBOOK_MAX_BODY_BYTES", std::to_string(max_body_bytes));
  out.emplace_back("LESSONBOOK_OUTBOX_LEASE_SECONDS", std::to_string(outbox_lease_seconds));
  out.emplace_back("LESSONBOOK_BOOK_LINK_DAYS", std::to_string(book_link_days));
  for (const IntSetting& setting : kIntSettings) {
    out.emplace_back(setting.name, setting.field != nullptr
                                       ? std::to_string(this->*(setting.field))
                                       : std::to_string(this->*(setting.size_field)));
  }
  return out;
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

Result<Config> LoadConfig(const EnvLookup& env, const std::string& file) {
  Config c;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) return Status::InvalidArgument("cannot read config file " + file);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      ++line_no;
      std::string t = Trim(line);
      if (t.empty() || t[0] == '#') continue;
      if (t.rfind("export ", 0) == 0) t = Trim(t.substr(7));
      size_t eq = t.find('=');
      std::string where = file + ":" + std::to_string(line_no) + ": ";
      if (eq == std::string::npos) {
        return Status::InvalidArgument(where + "expected NAME=value, got '" + t + "'");
      }
      std::string name = Trim(t.substr(0, eq));
      std::string value = Trim(t.substr(eq + 1));
      if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
          value.back() == value.front()) {
        value = value.substr(1, value.size() - 2);
      }
      Status s = ApplyValue(c, name, value, where);
      if (s.code() == Status::Code::kNotFound) {
        return Status::InvalidArgument(where + "unknown setting " + name +
                                       " (see the README's configuration table)");
      }
      if (!s.ok()) return s;
    }
  }
  for (const auto& e : kEntries) {
    if (auto v = env(e.name)) c.*(e.field) = *v;
  }
  for (const char* name : kNumberNames) {
    if (auto v = env(name)) {
      Status s = ApplyValue(c, name, *v, "");
      if (!s.ok()) return s;
    }
  }
  for (const IntSetting& setting : kIntSettings) {
    if (auto v = env(setting.name)) {
      Status s = ApplyValue(c, setting.name, *v, "");
      if (!s.ok()) return s;
    }
  }
  return c;
}

std::vector<std::string> CheckConfig(const Config& c) {
  std::vector<std::string> problems;
  std::string host;
  int port = 0;
  if (!SplitHostPort(c.listen, &host, &port)) {
    problems.push_back("LESSONBOOK_LISTEN: '" + c.listen +
                       "' is not host:port, e.g. 127.0.0.1:8080 or 0.0.0.0:8080");
  }
  if (c.db.empty()) problems.push_back("LESSONBOOK_DB: empty; give a file path such as ./lessonbook.db");
  if (!c.public_url.empty() && c.public_url.rfind("https://", 0) != 0 &&
      c.public_url.rfind("http://", 0) != 0) {
    problems.push_back("LESSONBOOK_PUBLIC_URL: '" + c.public_url +
                       "' must start with https:// (or http:// for local tests)");
  }
  if (auto proxies = IpRanges::Parse(c.trusted_proxies); !proxies.ok()) {
    problems.push_back("LESSONBOOK_TRUSTED_PROXIES: " + proxies.status().message());
  }
  LogLevel level;
  if (!ParseLogLevel(c.log_level, &level)) {
    problems.push_back("LESSONBOOK_LOG_LEVEL: '" + c.log_level +
                       "' is not one of debug, info, warn, error");
  }
  if (!c.slack_signing_secret.empty() && c.slack_bot_token.empty() &&
      (c.slack_client_id.empty() || c.slack_client_secret.empty())) {
    problems.push_back("SLACK_SIGNING_SECRET is set but there is no SLACK_BOT_TOKEN (one workspace) "
                       "nor SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth install)");
  }
  if (c.slack_signing_secret.empty() &&
      (!c.slack_bot_token.empty() || !c.slack_client_id.empty())) {
    problems.push_back("SLACK_SIGNING_SECRET is missing: Slack requests cannot be verified "
                       "without it (Slack app settings → Basic Information → Signing Secret)");
  }
  if (!c.slack_bot_token.empty() && c.slack_bot_token.rfind("xoxb-", 0) != 0) {
    problems.push_back("SLACK_BOT_TOKEN does not start with xoxb-: use the Bot User OAuth Token");
  }
  if (!c.teams_app_id.empty() != !c.teams_app_password.empty()) {
    problems.push_back("TEAMS_APP_ID and TEAMS_APP_PASSWORD go together: set both or neither");
  }
  if (!c.data_key.empty()) {
    // 32 bytes in base64 is 44 characters ending in one '='.
    bool shape = c.data_key.size() == 44 && c.data_key[43] == '=' && c.data_key[42] != '=';
    for (size_t i = 0; shape && i < 43; ++i) {
      char ch = c.data_key[i];
      shape = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '+' || ch == '/';
    }
    if (!shape) {
      problems.push_back("LESSONBOOK_DATA_KEY must be 32 random bytes in base64 (44 characters); "
                         "make one with: openssl rand -base64 32");
    }
  }
  return problems;
}

bool IsLoopbackHost(std::string_view host) {
  std::string h(host);
  if (!h.empty() && h.front() == '[') {
    size_t close = h.find(']');
    if (close == std::string::npos) return false;
    std::string rest = h.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return false;
    return h.substr(1, close - 1) == "::1";
  }
  if (h == "::1") return true;
  size_t colon = h.find(':');
  if (colon != std::string::npos) {
    std::string port = h.substr(colon + 1);
    long long p = 0;
    if (!ParseInt(port, 0, 65535, &p)) return false;
    h = h.substr(0, colon);
  }
  for (auto& ch : h) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (h == "localhost") return true;
  // 127.0.0.0/8 in dotted-quad form.
  int parts = 0;
  size_t pos = 0;
  while (pos <= h.size()) {
    size_t dot = h.find('.', pos);
    std::string part = h.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    long long v = 0;
    if (!ParseInt(part, 0, 255, &v)) return false;
    if (parts == 0 && v != 127) return false;
    ++parts;
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return parts == 4;
}

std::string RedactDbLocation(std::string_view location) {
  std::string out(location);
  const size_t scheme = out.find("://");
  if (scheme == std::string::npos) return out;
  // user:password@host — the userinfo ends at the last '@' before the path.
  const size_t path = out.find_first_of("/?", scheme + 3);
  const size_t at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
  if (at != std::string::npos && at > scheme) {
    const size_t colon = out.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
  }
  // ?password=… or &password=…
  for (size_t p = out.find("password="); p != std::string::npos;
       p = out.find("password=", p + 1)) {
    if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) continue;
    const size_t end = out.find('&', p);
    out.replace(p + 9, (end == std::string::npos ? out.size() : end) - p - 9, "***");
  }
  return out;
}

}  // namespace lessonbook
