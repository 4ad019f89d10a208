#include "tests/fakes/fake_bot_connector.h"

#include <httplib.h>

namespace lessonbook::testing {
namespace {

using json = nlohmann::json;

}  // namespace

FakeBotConnector::FakeBotConnector() : server_(std::make_unique<httplib::Server>()) {
  server_->Post(
      R"(/([^/]+)/oauth2/v2.0/token)", [this](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard<std::mutex> lock(mu_);
        ++token_requests_;
        last_token_request_ = req.body;
        const bool ok = req.body.find("grant_type=client_credentials") != std::string::npos &&
                        req.body.find("client_secret=") != std::string::npos;
        if (!ok) {
          res.status = 400;
          res.set_content(R"({"error":"invalid_request"})", "application/json");
          return;
        }
        json body = {{"token_type", "Bearer"},
                     {"expires_in", expires_in_},
                     {"ext_expires_in", expires_in_},
                     {"access_token", "token-" + std::to_string(token_requests_)}};
        res.set_content(body.dump(), "application/json");
      });
  auto handle = [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    Call call;
    call.method = req.method;
    call.target = req.target;
    call.path = req.path;
    call.authorization = req.get_header_value("Authorization");
    call.body = req.body;
    call.json = json::parse(req.body, nullptr, false);
    if (call.json.is_discarded()) call.json = nullptr;
    calls_.push_back(call);
    if (!script_.empty()) {
      Answer a = script_.front();
      script_.pop_front();
      res.status = a.status;
      if (!a.retry_after.empty()) res.set_header("Retry-After", a.retry_after);
      res.set_content(a.body, "application/json");
      return;
    }
    if (req.method == "POST" && req.path == "/teams/v3/conversations") {
      std::string user = "unknown";
      if (call.json.is_object() && call.json.contains("members") &&
          call.json["members"].is_array() && !call.json["members"].empty()) {
        user = call.json["members"][0].value("id", "unknown");
      }
      res.status = 201;
      res.set_content(json{{"id", "a:dm-" + user}}.dump(), "application/json");
      return;
    }
    if (req.method == "GET" && req.path.find("/pagedmembers") != std::string::npos) {
      std::size_t start = 0;
      if (req.has_param("continuationToken")) {
        start = static_cast<std::size_t>(std::stoi(req.get_param_value("continuationToken")));
      }
      json page = {{"members", json::array()}};
      for (std::size_t i = start; i < members_.size() && i < start + 2; ++i) {
        page["members"].push_back(members_[i]);
      }
      if (start + 2 < members_.size()) page["continuationToken"] = std::to_string(start + 2);
      res.set_content(page.dump(), "application/json");
      return;
    }
    res.status = req.method == "PUT" ? 200 : 201;
    res.set_content(json{{"id", "bot-activity-" + std::to_string(next_activity_++)}}.dump(),
                    "application/json");
  };
  server_->Post(R"(/teams/v3/conversations.*)", handle);
  server_->Put(R"(/teams/v3/conversations.*)", handle);
  server_->Get(R"(/teams/v3/conversations.*)", handle);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeBotConnector::~FakeBotConnector() {
  server_->stop();
  thread_.join();
}

std::string FakeBotConnector::service_url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/teams/";
}

std::string FakeBotConnector::token_url(const std::string& tenant) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/" + tenant + "/oauth2/v2.0/token";
}

std::vector<FakeBotConnector::Call> FakeBotConnector::calls() const {
  std::lock_guard<std::mutex> lock(mu_);
  return calls_;
}

std::vector<FakeBotConnector::Call> FakeBotConnector::WaitForCalls(
    std::size_t n, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (calls_.size() >= n) return calls_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return calls();
}

int FakeBotConnector::token_requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return token_requests_;
}

std::string FakeBotConnector::last_token_request() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_token_request_;
}

void FakeBotConnector::set_expires_in(int seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  expires_in_ = seconds;
}

void FakeBotConnector::Script(Answer answer) {
  std::lock_guard<std::mutex> lock(mu_);
  script_.push_back(std::move(answer));
}

void FakeBotConnector::set_members(std::vector<nlohmann::json> members) {
  std::lock_guard<std::mutex> lock(mu_);
  members_ = std::move(members);
}

}  // namespace lessonbook::testing
