#include "adapters/slack/web_api.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "adapters/http/url.h"
#include "bot/secret_box.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr const char* kJsonType = "application/json; charset=utf-8";

std::chrono::seconds RetryAfter(const ClientResponse& r) {
  const std::string v = r.Header("retry-after");
  long long s = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
  if (ec != std::errc() || end != v.data() + v.size() || s < 0) return std::chrono::seconds(0);
  return std::chrono::seconds(std::min<long long>(s, 3600));
}

std::string Join(const std::string& base, std::string_view method) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/" + std::string(method);
}

}  // namespace

bool IsPermanentSlackError(std::string_view error) {
  static constexpr std::string_view kTransient[] = {
      "ratelimited",         "rate_limited",    "internal_error",   "fatal_error",
      "service_unavailable", "request_timeout", "team_added_to_org"};
  for (std::string_view t : kTransient) {
    if (error == t) return false;
  }
  return true;
}

SlackWebApi::SlackWebApi(SlackWebApiOptions options)
    : options_(std::move(options)), client_(options_.http) {}

SlackApiResult SlackWebApi::Send(const ClientRequest& request, bool expect_json) const {
  SlackApiResult out;
  Result<ClientResponse> sent = client_.Send(request);
  if (!sent.ok()) {
    out.kind = sent.status().code() == Status::Code::kInvalidArgument
                   ? SlackApiResult::Kind::kPermanent
                   : SlackApiResult::Kind::kRetry;
    out.error = sent.status().message();
    return out;
  }
  out.http_status = sent->status;
  out.body = sent->body;
  if (sent->status == 429) {
    out.kind = SlackApiResult::Kind::kRetry;
    out.error = "ratelimited";
    out.retry_after = RetryAfter(*sent);
    return out;
  }
  if (sent->status >= 500) {
    out.kind = SlackApiResult::Kind::kRetry;
    out.error = "HTTP " + std::to_string(sent->status);
    return out;
  }
  if (!expect_json) {
    if (sent->status >= 200 && sent->status < 300) return out;
    out.kind = SlackApiResult::Kind::kPermanent;
    out.error = sent->body.empty() ? "HTTP " + std::to_string(sent->status) : sent->body;
    return out;
  }
  json body = json::parse(sent->body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("ok")) {
    out.kind =
        sent->status == 200 ? SlackApiResult::Kind::kRetry : SlackApiResult::Kind::kPermanent;
    out.error = "HTTP " + std::to_string(sent->status) + " without a Slack answer";
    return out;
  }
  if (body["ok"] == true) return out;
  out.error = body.contains("error") && body["error"].is_string() ? body["error"].get<std::string>()
                                                                  : std::string("unknown_error");
  out.kind = IsPermanentSlackError(out.error) ? SlackApiResult::Kind::kPermanent
                                              : SlackApiResult::Kind::kRetry;
  if (!out.ok()) out.retry_after = RetryAfter(*sent);
  return out;
}

SlackApiResult SlackWebApi::Call(std::string_view method, std::string_view token,
                                 const std::string& json_body) const {
  ClientRequest req;
  req.method = "POST";
  req.url = Join(options_.api_base, method);
  req.headers["Authorization"] = "Bearer " + std::string(token);
  req.content_type = kJsonType;
  req.body = json_body;
  return Send(req, true);
}

SlackApiResult SlackWebApi::CallForm(std::string_view method,
                                     const std::map<std::string, std::string>& fields,
                                     std::string_view basic_user,
                                     std::string_view basic_password) const {
  ClientRequest req;
  req.method = "POST";
  req.url = Join(options_.api_base, method);
  req.headers["Authorization"] =
      "Basic " + Base64Encode(std::string(basic_user) + ":" + std::string(basic_password));
  req.content_type = "application/x-www-form-urlencoded";
  req.body = FormEncode(fields);
  return Send(req, true);
}

SlackApiResult SlackWebApi::CallFormWithToken(std::string_view method, std::string_view token,
                                              const std::map<std::string, std::string>& fields) const {
  ClientRequest req;
  req.method = "POST";
  req.url = Join(options_.api_base, method);
  req.headers["Authorization"] = "Bearer " + std::string(token);
  req.content_type = "application/x-www-form-urlencoded";
  req.body = FormEncode(fields);
  return Send(req, true);
}

SlackApiResult SlackWebApi::PostToResponseUrl(const std::string& url,
                                              const std::string& json_body) const {
  ClientRequest req;
  req.method = "POST";
  req.url = url;
  req.content_type = kJsonType;
  req.body = json_body;
  // response_url answers "ok" (plain) or sometimes {"ok": true}; both are fine.
  return Send(req, false);
}

}  // namespace lessonbook
