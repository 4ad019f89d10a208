// The server's abuse limits over real HTTP on 127.0.0.1: per-address 429 + Retry-After on the
// web routes only, X-Forwarded-For believed only from trusted proxies, 431 for large heads,
// per-workspace admission for platform routes, and all of it counted in /metrics.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>

#include "adapters/http/server.h"

namespace lessonbook {
namespace {

using namespace std::chrono_literals;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class AbuseLimitsTest : public ::testing::Test {
 protected:
  AbuseLimitsTest() : clock_(FromUnix(1'800'000'000)) {}

  // Starts a server with the given options and a few routes.
  void Start(HttpServerOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    o.threads = 4;
    o.clock = &clock_;
    server_ = std::make_unique<HttpServer>(o);
    auto ok = [](const HttpRequest& req) { return HttpResponse::Text(200, "hi " + req.path); };
    server_->Get("/", ok);
    server_->Get("/book", ok);
    server_->Get("/book/c/42", ok);
    server_->Get("/bookish", ok);
    server_->Get("/web/feed", ok);
    server_->Post("/slack/events", [this](const HttpRequest&) {
      if (!server_->AdmitWorkspace(Platform::kSlack, "T1")) {
        return HttpResponse::Text(200, "slow down\n");
      }
      return HttpResponse::Text(200, "handled\n");
    });
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { server_->Run(); });
    for (int i = 0; i < 5000 && !server_->running(); ++i) std::this_thread::sleep_for(1ms);
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(10, 0);
    return c;
  }

  std::string Metrics() {
    auto res = Client().Get("/metrics");
    return res ? res->body : "";
  }

  FakeClock clock_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
};

TEST_F(AbuseLimitsTest, WebRoutesGet429WithRetryAfterPerAddress) {
  HttpServerOptions o;
  o.web_rate = {6, 2};  // one every 10 s, two at once
  Start(o);
  auto c = Client();
  EXPECT_EQ(c.Get("/")->status, 200);
  EXPECT_EQ(c.Get("/book")->status, 200);
  auto refused = c.Get("/book/c/42");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(refused->get_header_value("Retry-After"), "10");
  EXPECT_TRUE(Contains(refused->body, "try again in 10 s")) << refused->body;
  // Routes outside the web list are never limited per address.
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(c.Get("/healthz")->status, 200);
    ASSERT_EQ(c.Get("/web/feed")->status, 200);
    ASSERT_EQ(c.Get("/bookish")->status, 200) << "/book/* covers /book/..., not /bookish";
  }
  clock_.Advance(10s);
  EXPECT_EQ(c.Get("/")->status, 200);
  EXPECT_TRUE(Contains(Metrics(),
                       "lessonbook_http_rate_limited_total{scope=\"ip\",route=\"/book/c/42\"} 1"))
      << Metrics();
}

TEST_F(AbuseLimitsTest, ForwardedForFromAnUntrustedPeerDoesNotEscapeTheLimit) {
  HttpServerOptions o;
  o.web_rate = {1, 1};
  Start(o);
  auto c = Client();
  EXPECT_EQ(c.Get("/", {{"X-Forwarded-For", "198.51.100.1"}})->status, 200);
  EXPECT_EQ(c.Get("/", {{"X-Forwarded-For", "198.51.100.2"}})->status, 429);
}

TEST_F(AbuseLimitsTest, BehindATrustedProxyEachForwardedClientHasItsOwnLimit) {
  HttpServerOptions o;
  o.web_rate = {1, 1};
  o.trusted_proxies = *IpRanges::Parse("127.0.0.0/8");
  Start(o);
  auto c = Client();
  EXPECT_EQ(c.Get("/", {{"X-Forwarded-For", "198.51.100.1"}})->status, 200);
  EXPECT_EQ(c.Get("/", {{"X-Forwarded-For", "198.51.100.2"}})->status, 200);
  EXPECT_EQ(c.Get("/", {{"X-Forwarded-For", "6.6.6.6, 198.51.100.1"}})->status, 429)
      << "the hop the proxy added counts, not what the client wrote before it";
  EXPECT_EQ(c.Get("/")->status, 200) << "the proxy's own requests are a client of their own";
}

TEST_F(AbuseLimitsTest, PlatformRoutesAreLimitedPerWorkspaceWith200AndANotice) {
  HttpServerOptions o;
  o.web_rate = {1, 1};
  o.workspace_rate = {60, 3};
  Start(o);
  auto c = Client();
  for (int i = 0; i < 3; ++i) {
    auto res = c.Post("/slack/events", "{}", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "handled\n");
  }
  auto slowed = c.Post("/slack/events", "{}", "application/json");
  ASSERT_TRUE(slowed);
  EXPECT_EQ(slowed->status, 200) << "never 429 to Slack";
  EXPECT_EQ(slowed->body, "slow down\n");
  EXPECT_TRUE(Contains(Metrics(),
                       "lessonbook_http_rate_limited_total{scope=\"workspace\",route=\"slack\"} 1"))
      << Metrics();
  clock_.Advance(1s);
  EXPECT_EQ(c.Post("/slack/events", "{}", "application/json")->body, "handled\n");
}

TEST_F(AbuseLimitsTest, LargeRequestHeadsGet431AndLargeBodies413BothCounted) {
  HttpServerOptions o;
  o.max_header_bytes = 2048;
  o.max_body_bytes = 1024;
  Start(o);
  auto c = Client();
  httplib::Headers big;
  for (int i = 0; i < 10; ++i) big.emplace("X-Filler-" + std::to_string(i), std::string(300, 'x'));
  auto res = c.Get("/web/feed", big);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 431);
  EXPECT_TRUE(Contains(res->body, "the limit is 2048 bytes")) << res->body;
  res = c.Post("/slack/events", std::string(4096, 'x'), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(c.Get("/web/feed")->status, 200);
  const std::string m = Metrics();
  EXPECT_TRUE(Contains(m, "lessonbook_http_refused_total{reason=\"header_too_large\"} 1")) << m;
  EXPECT_TRUE(Contains(m, "lessonbook_http_refused_total{reason=\"body_too_large\"} 1")) << m;
}

// A client that sends its request head a byte at a time (each byte well inside the read
// timeout) is disconnected once request_timeout has passed, and counted; others are served.
TEST_F(AbuseLimitsTest, ASlowClientIsDisconnectedAfterTheRequestTimeout) {
  HttpServerOptions o;
  o.request_timeout = std::chrono::seconds(2);
  Start(o);
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(server_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{0, 300 * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string head =
      "GET /web/feed HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + std::string(200, 'a') + "\r\n\r\n";
  bool closed = false;
  // At most 60 s of dribbling (the timeout is 2 s): the server must cut it off well before.
  for (std::size_t i = 0; i < head.size() - 4 && !closed; ++i) {
    if (::send(fd, head.data() + i, 1, MSG_NOSIGNAL) != 1) {
      closed = true;
      break;
    }
    char buf[256];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // waits 300 ms
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) closed = true;
  }
  ::close(fd);
  EXPECT_TRUE(closed) << "the slow client was never disconnected";
  EXPECT_EQ(Client().Get("/web/feed")->status, 200);
  EXPECT_TRUE(Contains(Metrics(), "lessonbook_http_slow_clients_closed_total 1")) << Metrics();
}

TEST(IsIpLimitedRoute, ExactRoutesAndSubtrees) {
  const std::vector<std::string> routes = {"/", "/book/*", "/slack/install"};
  EXPECT_TRUE(IsIpLimitedRoute("/", routes));
  EXPECT_TRUE(IsIpLimitedRoute("/book", routes));
  EXPECT_TRUE(IsIpLimitedRoute("/book/campaign/7", routes));
  EXPECT_TRUE(IsIpLimitedRoute("/slack/install", routes));
  EXPECT_FALSE(IsIpLimitedRoute("/bookish", routes));
  EXPECT_FALSE(IsIpLimitedRoute("/slack/events", routes));
  EXPECT_FALSE(IsIpLimitedRoute("/teams/messages", routes));
  EXPECT_FALSE(IsIpLimitedRoute("/healthz", routes));
}

}  // namespace
}  // namespace lessonbook
