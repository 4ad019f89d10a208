// FakeBotConnector: a loopback Bot Connector and token endpoint for Teams tests. It records every
// call (method, path, decoded path, bearer token, body), issues client-credentials tokens
// ("token-1", "token-2", … with a configurable expires_in) at POST /<tenant>/oauth2/v2.0/token,
// creates 1:1 conversations ("a:dm-<user>"), answers paged member lists, and plays scripted
// answers (429 with Retry-After, 412, 403 MessageWritesBlocked, …) before its normal ones.
// Thread-safety: every method may be called from any thread while the server runs.
#pragma once

#include <chrono>
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
}  // namespace httplib

namespace lessonbook::testing {

class FakeBotConnector {
 public:
  struct Call {
    std::string method;
    std::string target;  // as sent: path and query, still percent-encoded
    std::string path;    // decoded
    std::string authorization;
    std::string body;
    nlohmann::json json;  // the body parsed (null when it is not JSON)
  };
  struct Answer {
    int status = 200;
    std::string body = "{}";
    std::string retry_after;  // Retry-After header when not empty
  };

  FakeBotConnector();
  ~FakeBotConnector();
  FakeBotConnector(const FakeBotConnector&) = delete;
  FakeBotConnector& operator=(const FakeBotConnector&) = delete;

  // "http://127.0.0.1:<port>/teams/" — the serviceUrl activities carry.
  std::string service_url() const;
  std::string token_url(const std::string& tenant = "tenant-1") const;

  // Conversation API calls (everything but the token endpoint), oldest first.
  std::vector<Call> calls() const;
  // Waits until at least n conversation calls were made (or the timeout passes); returns them.
  std::vector<Call> WaitForCalls(std::size_t n,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));
  int token_requests() const;
  std::string last_token_request() const;  // the form body
  void set_expires_in(int seconds);
  // The next conversation calls get these answers, in order, before normal service resumes.
  void Script(Answer answer);
  // Members served by GET …/pagedmembers (two per page).
  void set_members(std::vector<nlohmann::json> members);

 private:
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mu_;
  std::vector<Call> calls_;
  std::deque<Answer> script_;
  std::vector<nlohmann::json> members_;
  int token_requests_ = 0;
  int expires_in_ = 3600;
  std::string last_token_request_;
  int next_activity_ = 1;
};

}  // namespace lessonbook::testing
