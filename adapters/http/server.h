// HttpServer: the HTTP front door. Routes exact paths to handlers that take and return the plain
// HttpRequest / HttpResponse of adapters/adapter.h, and adds what every route needs: a request
// id (X-Request-Id), one log line per request, Prometheus metrics, security headers, 404/405/413
// answers, and a 500 (never a crash) when a handler throws.
//
// Abuse limits (adapters/http/token_bucket.h): routes people reach with a browser
// (ip_limited_routes) are limited per client address and answered 429 with Retry-After; platform
// routes call AdmitWorkspace after verifying a request, and answer a refused one with a 200 and a
// short "slow down" notice themselves (a 429 would make Slack retry, and can disable the
// subscription). Request heads larger than max_header_bytes get 431, bodies larger than
// max_body_bytes 413; every refusal is counted in /metrics.
//
// Built-in routes: GET /healthz (200 "ok"), GET /readyz (the readiness check), GET /metrics.
//
// Use: construct, register routes, Bind(), then Run() on a thread; Stop() from another thread
// lets in-flight requests finish. Routes are registered before Run() (not thread-safe); every
// other method may be called from any thread. Handlers run on the worker threads, many at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/adapter.h"
#include "adapters/http/metrics.h"
#include "adapters/http/token_bucket.h"
#include "bot/clock.h"
#include "bot/ip_ranges.h"
#include "bot/status.h"

namespace lessonbook {

struct HttpServerOptions {
  // Default: 127.0.0.1. The address to bind.
  std::string host = "127.0.0.1";
  // Default: 8080. 0 binds an ephemeral port; port() tells which.
  int port = 8080;
  // Default: 32. Worker threads; each open keep-alive connection holds one while it is open.
  int threads = 32;
  // Default: 1 MiB. Larger request bodies are answered 413 without reaching a handler.
  std::size_t max_body_bytes = 1 << 20;
  // Default: 5 s. Longest wait for a request's bytes / for the client to take the response.
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  // Default: 10000 requests and 60 s. A keep-alive connection is closed after that many
  // requests or that long idle.
  std::size_t keep_alive_max_count = 10000;
  std::chrono::seconds keep_alive_timeout{60};
  // Default: 10 s. How long Stop() waits for requests whose body is still arriving before it
  // closes the read side of the remaining connections (responses being written still finish).
  std::chrono::seconds stop_grace{10};

  // Default: 20 s. Slow clients: from the moment a connection is accepted or its previous
  // answer is sent, the next request's head and body must have arrived within this time, or the
  // connection is closed (an idle keep-alive connection too). 0: no limit.
  std::chrono::seconds request_timeout{20};
  // Default: 16 KiB. Request heads (header names and values) larger than this get 431.
  // httplib itself refuses a single header line over 8 KiB.
  std::size_t max_header_bytes = 16 << 10;
  // Default: 120 a minute, bursts of 60. The per-client-address limit of ip_limited_routes.
  RateLimit web_rate{120, 60};
  // Default: "/", "/book/*", "/slack/install", "/slack/oauth/callback". The routes limited per
  // client address; "P/*" covers P itself and every route under it (registered by anyone).
  std::vector<std::string> ip_limited_routes = {"/", "/book/*", "/slack/install",
                                                "/slack/oauth/callback"};
  // Default: 600 a minute, bursts of 300. The per-workspace limit of AdmitWorkspace.
  RateLimit workspace_rate{600, 300};
  // Default: none. Peers whose X-Forwarded-For is believed (client_address.h).
  IpRanges trusted_proxies;
  // Default: the system clock. Where the rate limits read the time (tests: a FakeClock).
  const Clock* clock = nullptr;
};

// True when the path is covered by one of the ip_limited_routes entries.
bool IsIpLimitedRoute(std::string_view path, const std::vector<std::string>& routes);

// How much a route logs. Probes and polling routes log their successes at debug level.
enum class RequestLogLevel {
  kInfo,         // every request: info (errors: warn)
  kDebugWhenOk,  // status < 400: debug; errors: warn
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;

  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();  // Stops the server if it runs.
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Registers a handler for an exact path (no patterns, no query string). HEAD is answered by
  // the GET handler. REQUIRES: called before Run(); the path is not registered yet for the method.
  void Get(const std::string& path, Handler handler, RequestLogLevel log = RequestLogLevel::kInfo);
  void Post(const std::string& path, Handler handler, RequestLogLevel log = RequestLogLevel::kInfo);

  // GET /readyz answers 200 "ready" when the check returns OK, else 503 with its message.
  // Default: always ready.
  void SetReadinessCheck(std::function<Status()> check);
  // Text appended to GET /metrics (complete metric families in the exposition format, e.g. from
  // RenderGauge); called on every scrape, from a worker thread.
  void AddMetricsSource(std::function<std::string()> source);
  // Request counters and histograms; other components may add their own counters and gauges.
  Metrics& metrics();

  // For platform routes, after the request is verified: takes one of the workspace's tokens
  // (workspace_rate). False means "slow down": the caller answers 200 with a short notice and
  // does no work; the refusal is counted (lessonbook_http_rate_limited_total{scope="workspace"})
  // and logged. Any thread.
  bool AdmitWorkspace(Platform platform, const std::string& workspace);

  // Binds the listening socket. Unavailable with an explanation when the port is taken or the
  // address is not usable. REQUIRES: called once, before Run().
  Status Bind();
  // The bound port (useful after binding port 0); 0 before Bind().
  int port() const;
  // Serves until Stop(). REQUIRES: Bind() succeeded. Returns at once if Stop() came first.
  void Run();
  // Graceful stop: stops accepting, lets in-flight requests finish, closes idle keep-alive
  // connections, and returns when Run() has returned. Safe to call more than once, and before
  // or without Run().
  void Stop();
  // True while Run() accepts connections.
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lessonbook
