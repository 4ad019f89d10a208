#include "tests/fakes/fake_slack.h"

#include <httplib.h>

#include <chrono>

namespace lessonbook::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

FakeSlackAnswer Ok(nlohmann::json extra = nlohmann::json::object()) {
  extra["ok"] = true;
  return FakeSlackAnswer{200, extra.dump(), {{"Content-Type", "application/json; charset=utf-8"}}};
}

}  // namespace

FakeSlack::FakeSlack() : server_(std::make_unique<httplib::Server>()) {
  defaults_["chat.postMessage"] = Ok({{"channel", "C0001"}, {"ts", "1700000000.000100"}});
  defaults_["chat.postEphemeral"] = Ok({{"message_ts", "1700000000.000200"}});
  defaults_["chat.update"] = Ok({{"channel", "C0001"}, {"ts", "1700000000.000100"}});
  defaults_["conversations.open"] = Ok({{"channel", {{"id", "D0BOTDM01"}}}});
  defaults_["conversations.members"] = Ok({{"members", nlohmann::json::array({"U0000001"})}});
  defaults_["users.info"] = Ok({{"user", {{"id", "U0000001"}, {"tz", "Europe/Berlin"}}}});
  defaults_["views.open"] = Ok({{"view", {{"id", "V0001"}}}});
  defaults_["views.publish"] = Ok({{"view", {{"id", "V0002"}, {"type", "home"}}}});
  defaults_["auth.test"] = Ok({{"url", "https://acme.slack.com/"},
                               {"team", "Acme"},
                               {"user", "lessonbook"},
                               {"team_id", "T0ACME001"},
                               {"user_id", "U0BOT0001"},
                               {"bot_id", "B0BOT0001"}});
  defaults_["oauth.v2.access"] = Ok({{"access_token", "xoxb-installed-token"},
                                     {"token_type", "bot"},
                                     {"scope", "commands,chat:write"},
                                     {"bot_user_id", "U0BOT0002"},
                                     {"app_id", "A0001"},
                                     {"team", {{"id", "T0NEW0001"}, {"name", "New Team"}}},
                                     {"enterprise", nullptr},
                                     {"authed_user", {{"id", "U0INSTALL1"}}}});
  defaults_["response_url"] = FakeSlackAnswer{200, "ok", {{"Content-Type", "text/html"}}};

  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    FakeSlackCall call;
    call.path = req.path;
    if (req.path.rfind("/api/", 0) == 0) {
      call.method = req.path.substr(5);
    } else if (req.path.rfind("/response/", 0) == 0) {
      call.method = "response_url";
    } else {
      call.method = req.path;
    }
    for (const auto& [k, v] : req.headers) call.headers[Lower(k)] = v;
    call.body = req.body;
    call.json = nlohmann::json::parse(req.body, nullptr, false);
    if (call.json.is_discarded()) call.json = nullptr;
    const std::string type = Lower(req.get_header_value("Content-Type"));
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      httplib::Params params;
      httplib::detail::parse_query_text(req.body, params);
      for (const auto& [k, v] : params) call.form[k] = v;
    }
    FakeSlackAnswer answer = Answer(call.method);
    {
      std::lock_guard lock(mu_);
      calls_.push_back(std::move(call));
    }
    res.status = answer.status;
    std::string content_type = "application/json; charset=utf-8";
    for (const auto& [k, v] : answer.headers) {
      if (Lower(k) == "content-type") {
        content_type = v;
      } else {
        res.set_header(k, v);
      }
    }
    res.set_content(answer.body, content_type);
  };
  server_->Post(R"(/.*)", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  for (int i = 0; i < 500 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

FakeSlack::~FakeSlack() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

std::string FakeSlack::api_base() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/api";
}

std::string FakeSlack::response_url(const std::string& id) const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/response/" + id;
}

void FakeSlack::Script(const std::string& method, std::vector<FakeSlackAnswer> answers) {
  std::lock_guard lock(mu_);
  for (auto& a : answers) scripted_[method].push_back(std::move(a));
}

void FakeSlack::SetDefault(const std::string& method, FakeSlackAnswer answer) {
  std::lock_guard lock(mu_);
  defaults_[method] = std::move(answer);
}

FakeSlackAnswer FakeSlack::Answer(const std::string& method) {
  std::lock_guard lock(mu_);
  auto s = scripted_.find(method);
  if (s != scripted_.end() && !s->second.empty()) {
    FakeSlackAnswer a = s->second.front();
    s->second.pop_front();
    return a;
  }
  auto d = defaults_.find(method);
  if (d != defaults_.end()) return d->second;
  return FakeSlackAnswer{200, R"({"ok":false,"error":"unknown_method"})", {}};
}

std::vector<FakeSlackCall> FakeSlack::Calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::vector<FakeSlackCall> FakeSlack::Calls(const std::string& method) const {
  std::vector<FakeSlackCall> out;
  std::lock_guard lock(mu_);
  for (const auto& c : calls_) {
    if (c.method == method) out.push_back(c);
  }
  return out;
}

std::vector<FakeSlackCall> FakeSlack::WaitFor(const std::string& method, std::size_t n,
                                              int ms) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (true) {
    auto calls = Calls(method);
    if (calls.size() >= n || std::chrono::steady_clock::now() > deadline) return calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

void FakeSlack::Clear() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

}  // namespace lessonbook::testing
