#include "adapters/http/http_client.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace lessonbook {
namespace {

// A loopback server on an ephemeral port, stopped when the test ends.
class LoopbackServer {
 public:
  LoopbackServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~LoopbackServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& server() { return server_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

TEST(HttpClient, SendsMethodHeadersAndBody) {
  LoopbackServer fake;
  std::string seen_auth, seen_type, seen_body;
  fake.server().Post(
      "/api/chat.postMessage", [&](const httplib::Request& req, httplib::Response& res) {
        seen_auth = req.get_header_value("Authorization");
        seen_type = req.get_header_value("Content-Type");
        seen_body = req.body;
        res.set_header("Retry-After", "2");
        res.status = 429;
        res.set_content("{\"ok\":false,\"error\":\"ratelimited\"}", "application/json");
      });
  HttpClient client;
  ClientRequest req;
  req.method = "POST";
  req.url = fake.Url("/api/chat.postMessage");
  req.headers["Authorization"] = "Bearer xoxb-test";
  req.content_type = "application/json; charset=utf-8";
  req.body = "{\"channel\":\"C1\"}";
  auto res = client.Send(req);
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  EXPECT_EQ(res->status, 429);
  EXPECT_EQ(res->Header("retry-after"), "2");
  EXPECT_EQ(res->body, "{\"ok\":false,\"error\":\"ratelimited\"}");
  EXPECT_EQ(seen_auth, "Bearer xoxb-test");
  EXPECT_EQ(seen_type, "application/json; charset=utf-8");
  EXPECT_EQ(seen_body, "{\"channel\":\"C1\"}");
}

TEST(HttpClient, NetworkErrorsAreUnavailable) {
  int port;
  {
    LoopbackServer gone;
    port = std::stoi(gone.Url("").substr(17));
  }
  HttpClient client;
  ClientRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  auto res = client.Send(req);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), Status::Code::kUnavailable);
  req.url = "not a url";
  EXPECT_EQ(client.Send(req).status().code(), Status::Code::kInvalidArgument);
}

TEST(HttpClient, OversizeAnswersAreRefused) {
  LoopbackServer fake;
  fake.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(1 << 20, 'x'), "text/plain");
  });
  HttpClientOptions o;
  o.max_response_bytes = 1000;
  HttpClient client(o);
  ClientRequest req;
  req.url = fake.Url("/big");
  EXPECT_FALSE(client.Send(req).ok());
}

}  // namespace
}  // namespace lessonbook
