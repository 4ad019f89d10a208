// FakeSlack: a loopback fake of Slack's Web API (and of response_url webhooks) on an
// httplib::Server bound to 127.0.0.1:0. It records every call — path, headers, raw body, the
// parsed JSON or form body — and answers in Slack's shapes ({"ok": true, …}); tests script other
// answers per method (e.g. 429 with Retry-After: 2, then ok).
// Thread-safety: every method may be called from any thread while the server runs.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace lessonbook::testing {

struct FakeSlackCall {
  std::string path;    // "/api/chat.postMessage", "/response/abc"
  std::string method;  // "chat.postMessage", or "response_url" for /response/…
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  nlohmann::json json;                      // parsed JSON body (null when not JSON)
  std::map<std::string, std::string> form;  // parsed form body
};

struct FakeSlackAnswer {
  int status = 200;
  std::string body;  // JSON text
  std::map<std::string, std::string> headers;
};

class FakeSlack {
 public:
  FakeSlack();   // starts serving
  ~FakeSlack();  // stops
  FakeSlack(const FakeSlack&) = delete;
  FakeSlack& operator=(const FakeSlack&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/api": SLACK_API_BASE.
  std::string api_base() const;
  // A response_url served by the fake: "http://127.0.0.1:<port>/response/<id>".
  std::string response_url(const std::string& id) const;

  // The next calls of `method` get these answers, in order; then the default answer.
  void Script(const std::string& method, std::vector<FakeSlackAnswer> answers);
  // Every later call of `method` gets this answer.
  void SetDefault(const std::string& method, FakeSlackAnswer answer);

  std::vector<FakeSlackCall> Calls() const;
  std::vector<FakeSlackCall> Calls(const std::string& method) const;
  // Waits up to `ms` for at least n calls of method; returns them.
  std::vector<FakeSlackCall> WaitFor(const std::string& method, std::size_t n, int ms = 5000) const;
  void Clear();

 private:
  FakeSlackAnswer Answer(const std::string& method);

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<FakeSlackCall> calls_;
  std::map<std::string, std::deque<FakeSlackAnswer>> scripted_;
  std::map<std::string, FakeSlackAnswer> defaults_;
};

}  // namespace lessonbook::testing
