#include "adapters/http/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/client_address.h"
#include "adapters/json_text.h"
#include "bot/log.h"

namespace lessonbook {
namespace {

using SteadyClock = std::chrono::steady_clock;

// What the server knows about the request being served on this worker thread. httplib serves
// a request from its first byte to its log line on one thread, so the pre-routing hook, the
// handler, the post-routing hook and the logger of one request all see the same context.
struct RequestContext {
  bool started = false;  // the pre-routing hook ran (the request line and headers were read)
  SteadyClock::time_point start{};
  std::string request_id;
};
thread_local RequestContext t_request;

std::string NewRequestId() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device rd;
    std::seed_seq seed{rd(), rd(), rd(), rd()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string id(16, '0');
  for (int i = 15; i >= 0; --i) {
    id[static_cast<std::size_t>(i)] = kHex[v & 15];
    v >>= 4;
  }
  return id;
}

const std::string& CurrentRequestId() {
  if (t_request.request_id.empty()) t_request.request_id = NewRequestId();
  return t_request.request_id;
}

std::string ToLower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// httplib routes by std::regex; our routes are exact paths.
std::string RegexEscape(const std::string& path) {
  static constexpr std::string_view kSpecial = R"(\^$.|?*+()[]{})";
  std::string out;
  for (char c : path) {
    if (kSpecial.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

// A bounded label for metrics and logs: clients can send any method token.
std::string MethodLabel(const std::string& method) {
  static constexpr std::string_view kKnown[] = {"GET",   "HEAD",    "POST",    "PUT",  "DELETE",
                                                "PATCH", "OPTIONS", "CONNECT", "TRACE"};
  for (std::string_view m : kKnown) {
    if (method == m) return method;
  }
  return "other";
}

bool WantsJson(const httplib::Request& req) {
  return req.get_header_value("Accept").find("application/json") != std::string::npos;
}

// An error answer the server itself produces: JSON when the client asked for it, else text.
void SetErrorBody(const httplib::Request& req, httplib::Response& res, const std::string& msg) {
  if (WantsJson(req)) {
    std::string body = "{";
    AppendJsonMember(body, "error", msg);
    res.set_content(body + "}", "application/json; charset=utf-8");
  } else {
    res.set_content(msg + "\n", "text/plain; charset=utf-8");
  }
}

// Short texts for the errors httplib answers on its own (malformed requests, limits).
std::string ErrorText(int status) {
  switch (status) {
    case 400:
      return "bad request";
    case 408:
      return "request timeout";
    case 414:
      return "URI too long";
    case 416:
      return "range not satisfiable";
    case 431:
      return "request headers too large";
    case 500:
      return "internal error";
    case 503:
      return "unavailable";
    default:
      return "HTTP error " + std::to_string(status);
  }
}

std::string FormatMillis(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f", seconds * 1000.0);
  return buf;
}

// "address|port" of a TCP peer, as httplib reports it in Request::remote_addr / remote_port.
std::string PeerKey(const std::string& address, int port) {
  return address + "|" + std::to_string(port);
}

// The peer key of fd when it is a connection accepted on `port` (a connected TCP socket whose
// local port is `port`), else nullopt.
std::optional<std::string> AcceptedPeerKey(int fd, int port) {
#ifdef __linux__
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) return std::nullopt;
  int type = 0;
  int listening = 0;
  socklen_t len = sizeof(type);
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM) {
    return std::nullopt;
  }
  len = sizeof(listening);
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || listening) {
    return std::nullopt;
  }
  sockaddr_storage local{};
  socklen_t local_len = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0) return std::nullopt;
  int local_port = -1;
  if (local.ss_family == AF_INET) {
    local_port = ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port);
  } else if (local.ss_family == AF_INET6) {
    local_port = ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port);
  }
  if (local_port != port) return std::nullopt;
  sockaddr_storage peer{};
  socklen_t peer_len = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) return std::nullopt;
  char host[INET6_ADDRSTRLEN] = {0};
  int peer_port = 0;
  if (peer.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
    peer_port = ntohs(a->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<sockaddr_in6*>(&peer);
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    peer_port = ntohs(a->sin6_port);
  }
  return PeerKey(host, peer_port);
#else
  (void)fd;
  (void)port;
  return std::nullopt;
#endif
}

// Calls fn(fd, peer key) for each of this process's connections accepted on `port`. httplib
// 0.11.4 offers no handle on its accepted sockets, so they are found in /proc/self/fd. A
// descriptor may be closed and reused by another thread while this runs: the slow-client
// watchdog, which shuts connections after the scan, checks AcceptedPeerKey again first.
template <typename Fn>
void ForEachAcceptedConnection(int port, Fn fn) {
#ifdef __linux__
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return;
  const int dir_fd = dirfd(dir);
  while (dirent* entry = readdir(dir)) {
    char* end = nullptr;
    const long n = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || n == dir_fd) continue;
    const int fd = static_cast<int>(n);
    if (std::optional<std::string> key = AcceptedPeerKey(fd, port)) fn(fd, *key);
  }
  closedir(dir);
#else
  (void)port;
  (void)fn;
#endif
}

// Closes the read side of this process's connections accepted on `port`, so worker threads
// waiting for the next request on an idle keep-alive connection see end-of-stream and finish.
// httplib 0.11.4 waits for the full keep-alive timeout otherwise. Responses still being written
// are not affected (only reads are shut).
void ShutdownReadsOfAcceptedConnections(int port) {
  ForEachAcceptedConnection(port, [](int fd, const std::string&) { ::shutdown(fd, SHUT_RD); });
}

// httplib::Server with access to its listening socket, to close it when Run() never comes.
class CoreServer final : public httplib::Server {
 public:
  void CloseUnusedListeningSocket() {
    const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
    if (sock != INVALID_SOCKET) ::close(sock);
  }
  // httplib 0.11.4 listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into the
  // library): with many clients connecting at once the kernel's accept queue overflows and
  // connections are reset (found by bench/load). listen() again on the bound socket raises it.
  void RaiseListenBacklog() {
    const socket_t sock = svr_sock_.load();
    if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
  }
};

}  // namespace

bool IsIpLimitedRoute(std::string_view path, const std::vector<std::string>& routes) {
  for (const std::string& r : routes) {
    const std::string_view route = r;
    if (route.size() >= 2 && route.substr(route.size() - 2) == "/*") {
      const std::string_view base = route.substr(0, route.size() - 2);
      if (path == base || (path.size() > base.size() && path.substr(0, base.size()) == base &&
                           path[base.size()] == '/')) {
        return true;
      }
    } else if (path == route) {
      return true;
    }
  }
  return false;
}

struct HttpServer::Impl {
  struct Route {
    RequestLogLevel log = RequestLogLevel::kInfo;
  };

  explicit Impl(HttpServerOptions o)
      : options(std::move(o)),
        clock(options.clock != nullptr ? *options.clock : system_clock),
        web_buckets(options.web_rate, clock),
        workspace_buckets(options.workspace_rate, clock) {}

  HttpServerOptions options;
  SystemClock system_clock;
  const Clock& clock;
  TokenBuckets web_buckets;
  TokenBuckets workspace_buckets;
  CoreServer core;
  Metrics metrics;
  std::map<std::string, Route> get_routes;
  std::map<std::string, Route> post_routes;

  std::mutex hooks_mu;
  std::function<Status()> readiness;
  std::vector<std::function<std::string()>> metrics_sources;

  std::atomic<int> in_flight{0};
  std::atomic<int> bound_port{0};

  // Slow clients (options.request_timeout): what the watchdog knows of each open connection.
  struct Connection {
    SteadyClock::time_point waiting_since{};  // accepted, or its last answer was sent
    bool handling = false;                    // a whole request arrived; its answer is due
    bool seen = false;                        // found by the current scan
  };
  std::mutex connections_mu;
  std::map<std::string, Connection> connections;  // by PeerKey

  void MarkHandling(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(connections_mu);
    Connection& c = connections[PeerKey(req.remote_addr, req.remote_port)];
    c.handling = true;
  }
  void MarkAnswered(const httplib::Request& req) {
    std::lock_guard<std::mutex> lock(connections_mu);
    Connection& c = connections[PeerKey(req.remote_addr, req.remote_port)];
    c.handling = false;
    c.waiting_since = SteadyClock::now();
  }

  // One pass of the slow-client watchdog: closes connections that have waited longer than
  // request_timeout for a whole request, and forgets connections that are gone.
  void CloseSlowClients() {
    const auto now = SteadyClock::now();
    std::vector<std::pair<int, std::string>> slow;
    std::lock_guard<std::mutex> lock(connections_mu);
    for (auto& [key, c] : connections) c.seen = false;
    ForEachAcceptedConnection(bound_port.load(), [&](int fd, const std::string& key) {
      auto [it, added] = connections.try_emplace(key);
      Connection& c = it->second;
      c.seen = true;
      if (added) c.waiting_since = now;
      if (!c.handling && now - c.waiting_since > options.request_timeout) {
        slow.emplace_back(fd, key);
      }
    });
    for (const auto& [fd, key] : slow) {
      // Still the same connection? Its descriptor may have been closed and given to a new
      // one since the scan.
      if (AcceptedPeerKey(fd, bound_port.load()) != key) continue;
      ::shutdown(fd, SHUT_RDWR);
      connections.erase(key);
      metrics.AddCounter("lessonbook_http_slow_clients_closed_total",
                         "Connections closed because a whole request did not arrive within "
                         "LESSONBOOK_REQUEST_TIMEOUT_SECONDS (slow or idle clients).");
      LogInfo("http.slow_client_closed",
              {{"peer", key.substr(0, key.find('|'))},
               {"seconds", std::to_string(options.request_timeout.count())}});
    }
    for (auto it = connections.begin(); it != connections.end();) {
      it = it->second.seen ? std::next(it) : connections.erase(it);
    }
  }

  std::mutex run_mu;
  std::condition_variable run_cv;
  bool bound = false;
  bool run_entered = false;
  bool run_done = false;
  bool stop_requested = false;
  bool stop_issued = false;

  const Route* FindRoute(const std::string& method, const std::string& path) const {
    const std::map<std::string, Route>* table = nullptr;
    if (method == "GET" || method == "HEAD") {
      table = &get_routes;
    } else if (method == "POST") {
      table = &post_routes;
    } else {
      return nullptr;
    }
    auto it = table->find(path);
    return it == table->end() ? nullptr : &it->second;
  }

  // "GET, HEAD" / "POST": the methods that path is registered for, "" when none.
  std::string AllowedMethods(const std::string& path) const {
    std::string allow;
    if (get_routes.count(path)) allow = "GET, HEAD";
    if (post_routes.count(path)) allow += allow.empty() ? "POST" : ", POST";
    return allow;
  }

  // The request head's size as the limit counts it: names, values and ": " / CRLF.
  static std::size_t HeadBytes(const httplib::Request& req) {
    std::size_t n = req.method.size() + req.target.size() + req.version.size() + 4;
    for (const auto& [name, value] : req.headers) {
      if (name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
          name == "LOCAL_PORT") {
        continue;  // added by httplib, not sent by the client
      }
      n += name.size() + value.size() + 4;
    }
    return n;
  }

  // The abuse limits that apply before a handler runs; true when `res` holds the refusal.
  bool Refused(const std::string& route, bool ip_limited, const httplib::Request& req,
               httplib::Response& res) {
    if (HeadBytes(req) > options.max_header_bytes) {
      metrics.AddCounter("lessonbook_http_refused_total",
                         "Requests refused for their size: reason header_too_large (431) or "
                         "body_too_large (413).",
                         {{"reason", "header_too_large"}});
      res.status = 431;
      SetErrorBody(req, res,
                   "request headers too large: the limit is " +
                       std::to_string(options.max_header_bytes) + " bytes");
      return true;
    }
    if (!ip_limited) return false;
    std::string forwarded;
    const std::size_t hops = req.get_header_value_count("X-Forwarded-For");
    for (std::size_t i = 0; i < hops; ++i) {
      if (!forwarded.empty()) forwarded += ", ";
      forwarded += req.get_header_value("X-Forwarded-For", i);
    }
    const std::string client = ClientAddress(req.remote_addr, forwarded, options.trusted_proxies);
    const TokenBuckets::Decision d = web_buckets.Take(RateLimitKey(client));
    if (d.allowed) return false;
    metrics.AddCounter("lessonbook_http_rate_limited_total",
                       "Requests refused by a rate limit: scope ip (web routes, 429) or "
                       "workspace (platform routes, 200 with a slow-down notice).",
                       {{"scope", "ip"}, {"route", route}});
    LogInfo("http.rate_limited", {{"rid", CurrentRequestId()},
                                  {"route", route},
                                  {"client", client},
                                  {"retry_after", std::to_string(d.retry_after.count())}});
    res.status = 429;
    res.set_header("Retry-After", std::to_string(d.retry_after.count()));
    SetErrorBody(req, res,
                 "too many requests from your address: try again in " +
                     std::to_string(d.retry_after.count()) + " s");
    return true;
  }

  // Reads a request's body and drops it: true when it was read whole. Whatever the request,
  // the next one on the connection then starts after it, never inside it (where a body made to
  // look like a request would be served as one).
  static bool DropBody(const httplib::Request& req, const httplib::ContentReader& read) {
    const auto drop = [](const char*, size_t) { return true; };
    if (req.is_multipart_form_data()) {
      return read([](const httplib::MultipartFormData&) { return true; }, drop);
    }
    return read(drop);
  }

  // A POST body, read by the route itself (`read`: httplib's content reader) rather than by
  // httplib before routing. httplib would otherwise refuse an application/x-www-form-urlencoded
  // body over 8 KiB with 413 whatever max_body_bytes says (its compiled-in
  // CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH; a Slack interactivity payload carries the
  // whole message it came from, easily more), and parse every such body into parameters nothing
  // here reads (2.6% of a slash command's CPU). max_body_bytes still applies while reading.
  // False when res holds the refusal: 413 too large (the error handler writes it), 415 a
  // multipart body (no route takes one, it is dropped), 400 a body that could not be read.
  bool ReadBody(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& read, std::string* body) {
    bool whole = false;
    if (req.is_multipart_form_data()) {
      whole = DropBody(req, read);
      if (whole) {
        res.status = 415;
        SetErrorBody(req, res, "multipart bodies are not accepted here");
        return false;
      }
    } else {
      whole = read([body](const char* data, size_t size) {
        body->append(data, size);
        return true;
      });
    }
    if (!whole && res.status < 400) res.status = 400;
    return whole;
  }

  void Serve(const std::string& route, bool ip_limited, const Handler& handler,
             const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* read = nullptr) {
    MarkHandling(req);
    if (Refused(route, ip_limited, req, res)) {
      const int refusal = res.status;  // a failed read would set its own
      if (read != nullptr) DropBody(req, *read);
      res.status = refusal;
      return;
    }
    HttpRequest in;
    if (read == nullptr) {
      in.body = req.body;  // GET: read by httplib
    } else if (!ReadBody(req, res, *read, &in.body)) {
      return;
    }
    in.method = req.method;
    in.path = req.path;
    for (const auto& [name, value] : req.headers) in.headers.emplace(ToLower(name), value);
    for (const auto& [name, value] : req.params) in.query.emplace(name, value);
    in.remote_addr = req.remote_addr;
    in.request_id = CurrentRequestId();

    HttpResponse out;
    try {
      out = handler(in);
    } catch (const std::exception& e) {
      LogError("http.handler_exception",
               {{"rid", in.request_id}, {"route", route}, {"error", e.what()}});
      out = HttpResponse::Text(500, "internal error (request id " + in.request_id + ")\n");
    } catch (...) {
      LogError("http.handler_exception",
               {{"rid", in.request_id}, {"route", route}, {"error", "unknown exception"}});
      out = HttpResponse::Text(500, "internal error (request id " + in.request_id + ")\n");
    }
    res.status = out.status;
    for (const auto& [name, value] : out.headers) res.set_header(name, value);
    res.set_content(out.body, out.content_type);
  }

  void Register(std::map<std::string, Route>& table, const std::string& method,
                const std::string& path, Handler handler, RequestLogLevel log) {
    table[path] = Route{log};
    const bool ip_limited = IsIpLimitedRoute(path, options.ip_limited_routes);
    if (method == "GET") {
      core.Get(RegexEscape(path), [this, path, ip_limited, handler = std::move(handler)](
                                      const httplib::Request& req, httplib::Response& res) {
        Serve(path, ip_limited, handler, req, res);
      });
    } else {
      core.Post(RegexEscape(path), [this, path, ip_limited, handler = std::move(handler)](
                                       const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& read) {
        Serve(path, ip_limited, handler, req, res, &read);
      });
    }
  }

  void Install() {
    const HttpServerOptions& o = options;
    const std::size_t threads = static_cast<std::size_t>(o.threads > 0 ? o.threads : 1);
    core.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    core.set_tcp_nodelay(true);
    // httplib's default sets SO_REUSEPORT, which would let a second server share our port
    // silently; SO_REUSEADDR alone allows a quick restart and still refuses a taken port.
    core.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    });
    core.set_payload_max_length(o.max_body_bytes);
    core.set_read_timeout(static_cast<time_t>(o.read_timeout.count()), 0);
    core.set_write_timeout(static_cast<time_t>(o.write_timeout.count()), 0);
    core.set_keep_alive_max_count(o.keep_alive_max_count > 0 ? o.keep_alive_max_count : 1);
    core.set_keep_alive_timeout(static_cast<time_t>(o.keep_alive_timeout.count()));

    core.set_pre_routing_handler([this](const httplib::Request&, httplib::Response&) {
      t_request = RequestContext{true, SteadyClock::now(), NewRequestId()};
      in_flight.fetch_add(1);
      return httplib::Server::HandlerResponse::Unhandled;
    });

    core.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request& req, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          if (res.status == 404) {
            const std::string allow = AllowedMethods(req.path);
            if (!allow.empty()) {
              res.status = 405;
              res.set_header("Allow", allow);
              SetErrorBody(req, res, "method " + req.method + " is not allowed here; use " + allow);
            } else {
              SetErrorBody(req, res, "not found");
            }
          } else if (res.status == 413) {
            metrics.AddCounter("lessonbook_http_refused_total",
                               "Requests refused for their size: reason header_too_large (431) "
                               "or body_too_large (413).",
                               {{"reason", "body_too_large"}});
            SetErrorBody(req, res,
                         "request body too large: the limit is " +
                             std::to_string(options.max_body_bytes) + " bytes");
          } else {
            SetErrorBody(req, res, ErrorText(res.status));
          }
          return httplib::Server::HandlerResponse::Handled;
        }));

    core.set_exception_handler(
        [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
          std::string what = "unknown exception";
          try {
            if (ep) std::rethrow_exception(ep);
          } catch (const std::exception& e) {
            what = e.what();
          } catch (...) {
          }
          LogError("http.exception", {{"rid", CurrentRequestId()}, {"error", what}});
          res.status = 500;
          SetErrorBody(req, res, "internal error (request id " + CurrentRequestId() + ")");
        });

    core.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.has_header("X-Request-Id")) res.set_header("X-Request-Id", CurrentRequestId());
      if (!res.has_header("X-Content-Type-Options")) {
        res.set_header("X-Content-Type-Options", "nosniff");
      }
    });

    core.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const RequestContext ctx = std::move(t_request);
      t_request = RequestContext{};
      const double seconds =
          ctx.started ? std::chrono::duration<double>(SteadyClock::now() - ctx.start).count() : 0.0;
      const Route* route = FindRoute(req.method, req.path);
      const std::string label = route != nullptr ? req.path : "unmatched";
      const std::string method = MethodLabel(req.method);
      metrics.RecordRequest(label, method, res.status, seconds);
      LogLevel level = LogLevel::kInfo;
      if (res.status >= 500) {
        level = LogLevel::kWarn;
      } else if (res.status < 400 && route != nullptr &&
                 route->log == RequestLogLevel::kDebugWhenOk) {
        level = LogLevel::kDebug;
      }
      const std::string rid =
          res.has_header("X-Request-Id") ? res.get_header_value("X-Request-Id") : ctx.request_id;
      Log(level, "http.request",
          {{"rid", rid},
           {"method", method},
           {"route", label},
           {"status", std::to_string(res.status)},
           {"ms", FormatMillis(seconds)}});
      MarkAnswered(req);
      if (ctx.started) in_flight.fetch_sub(1);
    });
  }

  void InstallBuiltins(HttpServer& server) {
    server.Get(
        "/healthz", [](const HttpRequest&) { return HttpResponse::Text(200, "ok\n"); },
        RequestLogLevel::kDebugWhenOk);
    server.Get(
        "/readyz",
        [this](const HttpRequest&) {
          std::function<Status()> check;
          {
            std::lock_guard<std::mutex> lock(hooks_mu);
            check = readiness;
          }
          const Status s = check ? check() : Status::Ok();
          if (s.ok()) return HttpResponse::Text(200, "ready\n");
          return HttpResponse::Text(503, "not ready: " + s.message() + "\n");
        },
        RequestLogLevel::kDebugWhenOk);
    server.Get(
        "/metrics",
        [this](const HttpRequest& req) {
          std::vector<std::function<std::string()>> sources;
          {
            std::lock_guard<std::mutex> lock(hooks_mu);
            sources = metrics_sources;
          }
          std::string body = metrics.Render();
          body += RenderGauge("lessonbook_http_requests_in_flight",
                              "Requests being served right now.", in_flight.load());
          for (const auto& source : sources) {
            try {
              std::string text = source();
              if (!text.empty() && text.back() != '\n') text += '\n';
              body += text;
            } catch (const std::exception& e) {
              LogError("http.metrics_source_failed",
                       {{"rid", req.request_id}, {"error", e.what()}});
            }
          }
          return HttpResponse{200, "text/plain; version=0.0.4; charset=utf-8", std::move(body), {}};
        },
        RequestLogLevel::kDebugWhenOk);
  }
};

HttpServer::HttpServer(HttpServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
  impl_->Install();
  impl_->InstallBuiltins(*this);
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Get(const std::string& path, Handler handler, RequestLogLevel log) {
  impl_->Register(impl_->get_routes, "GET", path, std::move(handler), log);
}

void HttpServer::Post(const std::string& path, Handler handler, RequestLogLevel log) {
  impl_->Register(impl_->post_routes, "POST", path, std::move(handler), log);
}

void HttpServer::SetReadinessCheck(std::function<Status()> check) {
  std::lock_guard<std::mutex> lock(impl_->hooks_mu);
  impl_->readiness = std::move(check);
}

void HttpServer::AddMetricsSource(std::function<std::string()> source) {
  std::lock_guard<std::mutex> lock(impl_->hooks_mu);
  impl_->metrics_sources.push_back(std::move(source));
}

Metrics& HttpServer::metrics() { return impl_->metrics; }

bool HttpServer::AdmitWorkspace(Platform platform, const std::string& workspace) {
  const std::string key = std::string(PlatformName(platform)) + ":" + workspace;
  const TokenBuckets::Decision d = impl_->workspace_buckets.Take(key);
  if (d.allowed) return true;
  impl_->metrics.AddCounter("lessonbook_http_rate_limited_total",
                            "Requests refused by a rate limit: scope ip (web routes, 429) or "
                            "workspace (platform routes, 200 with a slow-down notice).",
                            {{"scope", "workspace"}, {"route", PlatformName(platform)}});
  LogWarn("http.workspace_rate_limited", {{"rid", CurrentRequestId()},
                                          {"platform", PlatformName(platform)},
                                          {"workspace", workspace}});
  return false;
}

Status HttpServer::Bind() {
  const std::string& host = impl_->options.host;
  const int want = impl_->options.port;
  const std::string where = host + ":" + std::to_string(want);
  if (want < 0 || want > 65535) {
    return Status::InvalidArgument("port " + std::to_string(want) + " is not in 0..65535");
  }
  errno = 0;
  int port = -1;
  if (want == 0) {
    port = impl_->core.bind_to_any_port(host);
  } else if (impl_->core.bind_to_port(host, want)) {
    port = want;
  }
  const int err = errno;
  if (port <= 0) {
    const std::string fix = " (set LESSONBOOK_LISTEN to another host:port)";
    if (err == EADDRINUSE) {
      return Status::Unavailable("port " + std::to_string(want) + " is in use on " + host +
                                 ": stop the other program" + fix);
    }
    if (err == EACCES) {
      return Status::Unavailable("no permission to listen on " + where +
                                 ": ports below 1024 need privileges" + fix);
    }
    if (err == EADDRNOTAVAIL) {
      return Status::Unavailable("cannot listen on " + where + ": " + host +
                                 " is not an address of this machine" + fix);
    }
    return Status::Unavailable("cannot listen on " + where + ": " +
                               (err != 0 ? std::string(std::strerror(err))
                                         : std::string("the host name did not resolve")) +
                               fix);
  }
  impl_->bound_port = port;
  impl_->core.RaiseListenBacklog();
  std::lock_guard<std::mutex> lock(impl_->run_mu);
  impl_->bound = true;
  return Status::Ok();
}

int HttpServer::port() const { return impl_->bound_port.load(); }

void HttpServer::Run() {
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    if (!impl_->bound || impl_->stop_requested || impl_->run_entered) return;
    impl_->run_entered = true;
  }
  LogInfo("http.listening",
          {{"host", impl_->options.host}, {"port", std::to_string(impl_->bound_port.load())}});
  std::jthread watchdog;
  if (impl_->options.request_timeout.count() > 0) {
    watchdog = std::jthread([this](std::stop_token stop) {
      while (!stop.stop_requested()) {
        for (int i = 0; i < 10 && !stop.stop_requested(); ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!stop.stop_requested()) impl_->CloseSlowClients();
      }
    });
  }
  impl_->core.listen_after_bind();
  if (watchdog.joinable()) {
    watchdog.request_stop();
    watchdog.join();
  }
  {
    std::lock_guard<std::mutex> lock(impl_->run_mu);
    impl_->run_done = true;
  }
  impl_->run_cv.notify_all();
}

void HttpServer::Stop() {
  Impl& s = *impl_;
  bool issue = false;
  bool entered = false;
  {
    std::lock_guard<std::mutex> lock(s.run_mu);
    s.stop_requested = true;
    if (!s.stop_issued) {
      s.stop_issued = true;
      issue = true;
    }
    entered = s.run_entered;
  }
  if (!entered) {
    // Run() never started (and never will): only the bound socket needs closing.
    if (issue) s.core.CloseUnusedListeningSocket();
    return;
  }
  if (issue) {
    // httplib's stop() only acts once listening has begun.
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(s.run_mu);
        if (s.run_done) break;
      }
      if (s.core.is_running()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    s.core.stop();
    // Requests being read or handled finish; then idle keep-alive connections are released.
    const auto deadline = SteadyClock::now() + s.options.stop_grace;
    while (s.in_flight.load() > 0 && SteadyClock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  std::unique_lock<std::mutex> lock(s.run_mu);
  while (!s.run_done) {
    lock.unlock();
    ShutdownReadsOfAcceptedConnections(s.bound_port.load());
    lock.lock();
    s.run_cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return s.run_done; });
  }
}

bool HttpServer::running() const { return impl_->core.is_running(); }

}  // namespace lessonbook
