#include "adapters/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace lessonbook {
namespace {

using namespace std::chrono_literals;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

HttpServerOptions TestOptions() {
  HttpServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 4;
  return o;
}

// POST /echo answers with the request's body; calls counts the requests that reached it.
void AddCountingEcho(HttpServer& server, std::atomic<int>& calls) {
  server.Post("/echo", [&calls](const HttpRequest& req) {
    ++calls;
    return HttpResponse::Text(200, req.body);
  });
}

// Binds, runs the server on a thread, and stops it when the scope ends.
class RunningServer {
 public:
  explicit RunningServer(HttpServer& server) : server_(server) {
    const Status bound = server_.Bind();
    EXPECT_TRUE(bound.ok()) << bound.ToString();
    thread_ = std::thread([this] { server_.Run(); });
    for (int i = 0; i < 5000 && !server_.running(); ++i) std::this_thread::sleep_for(1ms);
  }
  ~RunningServer() {
    server_.Stop();
    thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", server_.port());
    c.set_read_timeout(10, 0);
    return c;
  }

 private:
  HttpServer& server_;
  std::thread thread_;
};

TEST(HttpServerTest, HealthzAnswersOk) {
  HttpServer server(TestOptions());
  RunningServer running(server);
  auto res = running.Client().Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ok\n");
}

TEST(HttpServerTest, ReadyzReflectsTheReadinessCheck) {
  HttpServer server(TestOptions());
  std::atomic<bool> ready{false};
  server.SetReadinessCheck([&ready] {
    return ready ? Status::Ok() : Status::Unavailable("database migrations are running");
  });
  RunningServer running(server);
  auto c = running.Client();

  auto res = c.Get("/readyz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_TRUE(Contains(res->body, "database migrations are running")) << res->body;

  ready = true;
  res = c.Get("/readyz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "ready\n");
}

TEST(HttpServerTest, MetricsCountRequestsByRoutePatternWithHistogramAndSources) {
  HttpServer server(TestOptions());
  server.Get("/hello", [](const HttpRequest&) { return HttpResponse::Text(200, "hi"); });
  server.AddMetricsSource(
      [] { return RenderGauge("lessonbook_lessons_stored", "Lessons stored.", 7); });
  RunningServer running(server);
  // One keep-alive connection: each request is logged (and counted) before the next is read.
  auto c = running.Client();
  c.set_keep_alive(true);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(c.Get("/hello"));
  ASSERT_TRUE(c.Get("/hello?name=x"));
  ASSERT_TRUE(c.Get("/no/such/thing/42"));

  auto res = c.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(Contains(res->get_header_value("Content-Type"), "text/plain; version=0.0.4"));
  const std::string& text = res->body;
  EXPECT_TRUE(Contains(
      text, "lessonbook_http_requests_total{route=\"/hello\",method=\"GET\",status=\"200\"} 4\n"))
      << text;
  EXPECT_TRUE(Contains(
      text,
      "lessonbook_http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"))
      << text;
  EXPECT_FALSE(Contains(text, "/no/such/thing")) << "raw paths must not become labels";
  EXPECT_TRUE(Contains(text, "# TYPE lessonbook_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(Contains(text,
                       "lessonbook_http_request_duration_seconds_bucket{route=\"/hello\","
                       "method=\"GET\",le=\"+Inf\"} 4\n"))
      << text;
  EXPECT_TRUE(Contains(
      text, "lessonbook_http_request_duration_seconds_count{route=\"/hello\",method=\"GET\"} 4\n"))
      << text;
  EXPECT_TRUE(Contains(text, "lessonbook_http_request_duration_seconds_sum{route=\"/hello\""));
  EXPECT_TRUE(
      Contains(text, "# TYPE lessonbook_lessons_stored gauge\nlessonbook_lessons_stored 7\n"))
      << text;
  EXPECT_TRUE(Contains(text, "lessonbook_http_requests_in_flight 1\n")) << text;
}

TEST(HttpServerTest, UnknownRouteIs404TextOrJson) {
  HttpServer server(TestOptions());
  RunningServer running(server);
  auto c = running.Client();
  auto res = c.Get("/nope");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "not found\n");

  res = c.Get("/nope", httplib::Headers{{"Accept", "application/json"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(res->body, "{\"error\":\"not found\"}");
  EXPECT_TRUE(Contains(res->get_header_value("Content-Type"), "application/json"));
}

TEST(HttpServerTest, WrongMethodOnAKnownPathIs405WithAllow) {
  HttpServer server(TestOptions());
  RunningServer running(server);
  auto res = running.Client().Post("/healthz", "x", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET, HEAD");
}

// The HTTP library refuses form bodies over 8 KiB on its own unless the route reads its body:
// ours do, so a form body is limited by max_body_bytes alone, arrives byte for byte, and is not
// turned into query parameters.
TEST(HttpServerTest, FormBodiesAreLimitedByMaxBodyBytesAloneAndArriveWhole) {
  HttpServerOptions o = TestOptions();
  o.max_body_bytes = 64 * 1024;
  HttpServer server(o);
  std::atomic<int> calls{0};
  server.Post("/echo", [&calls](const HttpRequest& req) {
    ++calls;
    return HttpResponse::Text(200, req.body + "|" + std::to_string(req.query.size()));
  });
  RunningServer running(server);
  auto c = running.Client();
  std::string form = "payload=";
  while (form.size() < 40000) form += "%7B%22k%22%3A%22caf%C3%A9%22%7D&x=1&";
  auto res = c.Post("/echo?source=test", form, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, form + "|1");  // only the URL's own parameter
  const std::string too_big(64 * 1024 + 1, 'a');
  res = c.Post("/echo", too_big, "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(Contains(res->body, "65536 bytes")) << res->body;
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, MultipartBodiesAre415AndNeverReachTheHandler) {
  HttpServer server(TestOptions());
  std::atomic<int> calls{0};
  AddCountingEcho(server, calls);
  RunningServer running(server);
  auto c = running.Client();
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello\r\n--b--\r\n";
  auto res = c.Post("/echo", body, "multipart/form-data; boundary=b");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 415);
  EXPECT_TRUE(Contains(res->body, "multipart")) << res->body;
  EXPECT_EQ(calls.load(), 0);
  res = c.Post("/echo", "plain", "text/plain");  // the connection and the route still serve
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "plain");
}

// One TCP connection to the server, written and read byte for byte.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void Send(const std::string& bytes) {
    EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
  }

  // The next response: its head and Content-Length body; "" when none comes within 5 s.
  std::string Response() {
    while (buffered_.find("\r\n\r\n") == std::string::npos && Fill()) {
    }
    const size_t head = buffered_.find("\r\n\r\n");
    if (head == std::string::npos) return "";
    const size_t length_at = buffered_.find("Content-Length: ");
    const size_t length =
        length_at < head ? std::stoul(buffered_.substr(length_at + 16)) : size_t{0};
    while (buffered_.size() < head + 4 + length && Fill()) {
    }
    const std::string response = buffered_.substr(0, head + 4 + length);
    buffered_.erase(0, response.size());
    return response;
  }

 private:
  bool Fill() {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buffered_.append(buf, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  std::string buffered_;
};

// A POST refused before its body is read (here: its head is over the limit) has its body read
// and dropped: the next request on the connection is served, and a body made to look like a
// request is never served as one.
TEST(HttpServerTest, ARefusedPostsBodyIsNeverServedAsTheNextRequest) {
  HttpServerOptions o = TestOptions();
  o.max_header_bytes = 1024;
  HttpServer server(o);
  std::atomic<int> smuggled{0};
  server.Get("/smuggled", [&smuggled](const HttpRequest&) {
    ++smuggled;
    return HttpResponse::Text(200, "smuggled");
  });
  server.Post("/echo", [](const HttpRequest& req) { return HttpResponse::Text(200, req.body); });
  RunningServer running(server);
  RawConnection c(server.port());
  const std::string hidden = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  c.Send("POST /echo HTTP/1.1\r\nHost: x\r\nX-Filler: " + std::string(2000, 'f') +
         "\r\nContent-Type: text/plain\r\nContent-Length: " + std::to_string(hidden.size()) +
         "\r\n\r\n");
  std::this_thread::sleep_for(200ms);  // the head is refused before the body arrives
  c.Send(hidden);
  const std::string refused = c.Response();
  EXPECT_EQ(refused.rfind("HTTP/1.1 431", 0), 0u) << refused;
  c.Send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\n"
      "hello");
  const std::string next = c.Response();
  EXPECT_EQ(next.rfind("HTTP/1.1 200", 0), 0u) << next;
  EXPECT_EQ(next.substr(next.size() - 5), "hello") << next;
  EXPECT_EQ(smuggled.load(), 0);
}

TEST(HttpServerTest, OversizeBodyIs413AndNeverReachesTheHandler) {
  HttpServerOptions o = TestOptions();
  o.max_body_bytes = 1024;
  HttpServer server(o);
  std::atomic<int> calls{0};
  AddCountingEcho(server, calls);
  RunningServer running(server);
  auto c = running.Client();

  auto res = c.Post("/echo", std::string(4096, 'a'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_TRUE(Contains(res->body, "1024 bytes")) << res->body;
  EXPECT_EQ(calls.load(), 0);

  res = c.Post("/echo", std::string(1024, 'b'), "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body.size(), 1024u);
}

TEST(HttpServerTest, ThrowingHandlerGives500AndTheServerKeepsServing) {
  HttpServer server(TestOptions());
  server.Get("/boom",
             [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("kaboom"); });
  server.Get("/boom-int", [](const HttpRequest&) -> HttpResponse { throw 42; });
  RunningServer running(server);
  auto c = running.Client();

  auto res = c.Get("/boom");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_FALSE(Contains(res->body, "kaboom")) << "exception text stays in the log";
  EXPECT_TRUE(Contains(res->body, res->get_header_value("X-Request-Id"))) << res->body;

  res = c.Get("/boom-int");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);

  res = c.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST(HttpServerTest, EveryResponseHasARequestIdAndNosniff) {
  HttpServer server(TestOptions());
  std::string seen_id;
  server.Get("/id", [&seen_id](const HttpRequest& req) {
    seen_id = req.request_id;
    return HttpResponse::Text(200, "ok");
  });
  RunningServer running(server);
  auto c = running.Client();

  auto res = c.Get("/id");
  ASSERT_TRUE(res);
  const std::string id = res->get_header_value("X-Request-Id");
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  EXPECT_EQ(id, seen_id);
  EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");

  auto again = c.Get("/id");
  ASSERT_TRUE(again);
  EXPECT_NE(again->get_header_value("X-Request-Id"), id);

  auto missing = c.Get("/missing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->get_header_value("X-Request-Id").size(), 16u);
  EXPECT_EQ(missing->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST(HttpServerTest, HandlerSeesLowerCaseHeadersDecodedQueryRawBodyAndRemoteAddress) {
  HttpServer server(TestOptions());
  HttpRequest seen;
  server.Post("/inspect", [&seen](const HttpRequest& req) {
    seen = req;
    HttpResponse r = HttpResponse::Json(201, "{}");
    r.headers["X-Custom"] = "yes";
    return r;
  });
  RunningServer running(server);
  const std::string body = std::string("raw\0bytes \xff", 11);
  auto res = running.Client().Post("/inspect?q=subject%20lines&n=2",
                                   httplib::Headers{{"X-Slack-Signature", "v0=abc"}}, body,
                                   "application/octet-stream");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_EQ(res->get_header_value("X-Custom"), "yes");
  EXPECT_TRUE(Contains(res->get_header_value("Content-Type"), "application/json"));
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.path, "/inspect");
  EXPECT_EQ(seen.Header("x-slack-signature"), "v0=abc");
  EXPECT_EQ(seen.query["q"], "subject lines");
  EXPECT_EQ(seen.query["n"], "2");
  EXPECT_EQ(seen.body, body);
  EXPECT_EQ(seen.remote_addr, "127.0.0.1");
}

TEST(HttpServerTest, RoutesAreExactPathsNotPatterns) {
  HttpServer server(TestOptions());
  server.Get("/web/static/chat.js",
             [](const HttpRequest&) { return HttpResponse::Text(200, "js"); });
  RunningServer running(server);
  auto c = running.Client();
  auto res = c.Get("/web/static/chatxjs");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = c.Get("/web/static/chat.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST(HttpServerTest, KeepAliveClientServes200SequentialRequests) {
  HttpServer server(TestOptions());
  server.Get("/ping", [](const HttpRequest&) { return HttpResponse::Text(200, "pong"); });
  RunningServer running(server);
  auto c = running.Client();
  c.set_keep_alive(true);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 200; ++i) {
    auto res = c.Get("/ping");
    ASSERT_TRUE(res) << "request " << i;
    ASSERT_EQ(res->status, 200);
    ASSERT_EQ(res->body, "pong");
  }
  // With Nagle and delayed ACKs each request took ~40 ms; TCP_NODELAY keeps this far below.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  c.stop();
}

TEST(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  HttpServer server(TestOptions());
  std::atomic<bool> entered{false};
  server.Get("/slow", [&entered](const HttpRequest&) {
    entered = true;
    std::this_thread::sleep_for(500ms);
    return HttpResponse::Text(200, "done");
  });
  ASSERT_TRUE(server.Bind().ok());
  std::thread run([&server] { server.Run(); });
  for (int i = 0; i < 5000 && !server.running(); ++i) std::this_thread::sleep_for(1ms);

  int slow_status = 0;
  std::string slow_body;
  std::thread client([&] {
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(10, 0);
    if (auto res = c.Get("/slow")) {
      slow_status = res->status;
      slow_body = res->body;
    }
  });
  for (int i = 0; i < 5000 && !entered; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(entered);
  server.Stop();
  run.join();
  client.join();

  EXPECT_EQ(slow_status, 200);
  EXPECT_EQ(slow_body, "done");
  EXPECT_FALSE(server.running());
  httplib::Client after("127.0.0.1", server.port());
  after.set_connection_timeout(1, 0);
  EXPECT_FALSE(after.Get("/healthz")) << "a stopped server accepts no connections";
}

TEST(HttpServerTest, StopDoesNotWaitForIdleKeepAliveConnections) {
  HttpServer server(TestOptions());  // keep-alive timeout: 60 s
  ASSERT_TRUE(server.Bind().ok());
  std::thread run([&server] { server.Run(); });
  for (int i = 0; i < 5000 && !server.running(); ++i) std::this_thread::sleep_for(1ms);

  httplib::Client idle("127.0.0.1", server.port());
  idle.set_keep_alive(true);
  ASSERT_TRUE(idle.Get("/healthz"));  // the connection stays open and idle

  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  run.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(HttpServerTest, BindReportsAPortInUse) {
  HttpServer first(TestOptions());
  ASSERT_TRUE(first.Bind().ok());
  HttpServerOptions o = TestOptions();
  o.port = first.port();
  HttpServer second(o);
  const Status s = second.Bind();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable);
  EXPECT_TRUE(Contains(s.message(), "port " + std::to_string(o.port) + " is in use"))
      << s.message();
  EXPECT_TRUE(Contains(s.message(), "LESSONBOOK_LISTEN")) << s.message();
}

TEST(HttpServerTest, StopBeforeRunMakesRunReturnAtOnce) {
  HttpServer server(TestOptions());
  ASSERT_TRUE(server.Bind().ok());
  server.Stop();
  const auto start = std::chrono::steady_clock::now();
  server.Run();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  server.Stop();  // twice is fine
}

}  // namespace
}  // namespace lessonbook
