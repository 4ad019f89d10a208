#include "adapters/slack/oauth.h"

#include <openssl/rand.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "adapters/http/url.h"
#include "adapters/slack/signature.h"
#include "adapters/slack/slack_adapter.h"
#include "bot/log.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return "";
  }
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 0x0F];
  }
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

HttpResponse Page(int status, const std::string& title, const std::string& text) {
  HttpResponse r{status,
                 "text/html; charset=utf-8",
                 "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + HtmlEscape(title) +
                     "</title></head><body><h1>" + HtmlEscape(title) + "</h1><p>" +
                     HtmlEscape(text) + "</p></body></html>\n",
                 {}};
  r.headers["Cache-Control"] = "no-store";
  r.headers["Content-Security-Policy"] = "default-src 'none'";
  return r;
}

// https://slack.com/api -> https://slack.com/oauth/v2/authorize
std::string AuthorizeUrl(const std::string& api_base) {
  std::string base = api_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() >= 4 && base.substr(base.size() - 4) == "/api") base.resize(base.size() - 4);
  return base + "/oauth/v2/authorize";
}

std::string RedirectUri(const SlackAdapter& adapter) {
  const std::string& pub = adapter.options().public_url;
  if (pub.empty()) return "";
  std::string base = pub;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/slack/oauth/callback";
}

std::string CookieValue(const std::string& header, std::string_view name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    std::size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    const std::size_t b = part.find_first_not_of(' ');
    if (b != std::string::npos) part = part.substr(b);
    if (part.size() > name.size() && part.compare(0, name.size(), name) == 0 &&
        part[name.size()] == '=') {
      return part.substr(name.size() + 1);
    }
    pos = end + 1;
  }
  return "";
}

}  // namespace

std::string MakeOAuthState(std::string_view key, std::string_view nonce, Time expires) {
  std::string payload = std::string(nonce) + "." + std::to_string(ToUnix(expires));
  return payload + "." + HmacSha256Hex(key, payload);
}

Status CheckOAuthState(std::string_view key, std::string_view state, std::string_view cookie_nonce,
                       Time now) {
  const std::size_t first = state.find('.');
  const std::size_t second = first == std::string_view::npos ? first : state.find('.', first + 1);
  if (second == std::string_view::npos) {
    return Status::PermissionDenied("the install link's state is malformed: start again");
  }
  std::string_view payload = state.substr(0, second);
  if (!ConstantTimeEquals(HmacSha256Hex(key, payload), state.substr(second + 1))) {
    return Status::PermissionDenied("the install link's state is forged: start again");
  }
  std::string_view nonce = state.substr(0, first);
  std::string_view expiry = state.substr(first + 1, second - first - 1);
  long long exp = 0;
  auto [end, ec] = std::from_chars(expiry.data(), expiry.data() + expiry.size(), exp);
  if (ec != std::errc() || end != expiry.data() + expiry.size()) {
    return Status::PermissionDenied("the install link's state is malformed: start again");
  }
  if (ToUnix(now) > exp) {
    return Status::PermissionDenied("the install took longer than 10 minutes: start again");
  }
  if (cookie_nonce.empty() || !ConstantTimeEquals(nonce, cookie_nonce)) {
    return Status::PermissionDenied(
        "this install was started in another browser: start again from /slack/install");
  }
  return Status::Ok();
}

HttpResponse HandleSlackInstall(SlackAdapter& adapter, const HttpRequest&) {
  const SlackAdapterOptions& o = adapter.options();
  const std::string nonce = RandomHex(16);
  if (nonce.empty()) return HttpResponse::Text(500, "internal error\n");
  const std::string state =
      MakeOAuthState(o.client_secret, nonce, adapter.clock().Now() + kSlackStateTtl);
  std::map<std::string, std::string> q = {
      {"client_id", o.client_id}, {"scope", kSlackBotScopes}, {"state", state}};
  const std::string redirect = RedirectUri(adapter);
  if (!redirect.empty()) q["redirect_uri"] = redirect;
  HttpResponse r = HttpResponse::Text(302, "");
  r.headers["Location"] = AuthorizeUrl(adapter.api().api_base()) + "?" + FormEncode(q);
  r.headers["Set-Cookie"] = std::string(kSlackStateCookie) + "=" + nonce +
                            "; Path=/slack/oauth; Max-Age=600; HttpOnly; SameSite=Lax" +
                            (redirect.rfind("https://", 0) == 0 ? "; Secure" : "");
  r.headers["Cache-Control"] = "no-store";
  return r;
}

HttpResponse HandleSlackOAuthCallback(SlackAdapter& adapter, const HttpRequest& request) {
  auto param = [&](const char* k) {
    auto it = request.query.find(k);
    return it == request.query.end() ? std::string() : it->second;
  };
  if (!param("error").empty()) {
    return Page(200, "Installation cancelled",
                "Slack said: " + param("error") + ". Nothing was installed.");
  }
  const SlackAdapterOptions& o = adapter.options();
  Status state = CheckOAuthState(o.client_secret, param("state"),
                                 CookieValue(request.Header("cookie"), kSlackStateCookie),
                                 adapter.clock().Now());
  if (!state.ok()) {
    LogWarn("slack.oauth_rejected", {{"rid", request.request_id}, {"reason", state.message()}});
    return Page(403, "Installation refused", state.message());
  }
  const std::string code = param("code");
  if (code.empty()) return Page(400, "Installation failed", "Slack sent no code: start again.");
  std::map<std::string, std::string> fields = {{"code", code}};
  const std::string redirect = RedirectUri(adapter);
  if (!redirect.empty()) fields["redirect_uri"] = redirect;
  SlackApiResult r =
      adapter.api().CallForm("oauth.v2.access", fields, o.client_id, o.client_secret);
  if (!r.ok()) {
    LogWarn("slack.oauth_failed", {{"error", r.error}});
    return Page(502, "Installation failed",
                "Slack refused the install (" + r.error + "). Start again from /slack/install.");
  }
  json body = json::parse(r.body, nullptr, false);
  auto str = [](const json& j, const char* k) {
    return j.is_object() && j.contains(k) && j[k].is_string() ? j[k].get<std::string>()
                                                              : std::string();
  };
  const json team = body.is_object() && body.contains("team") ? body["team"] : json();
  const json authed =
      body.is_object() && body.contains("authed_user") ? body["authed_user"] : json();
  const std::string token = str(body, "access_token");
  const std::string team_id = str(team, "id");
  if (token.empty() || team_id.empty() || str(body, "token_type") != "bot") {
    return Page(502, "Installation failed", "Slack's answer had no bot token: start again.");
  }
  auto saved = adapter.SaveInstall(team_id, str(team, "name"), token, str(body, "bot_user_id"),
                                   str(authed, "id"));
  if (!saved.ok()) {
    LogError("slack.install_store_failed", {{"error", saved.status().ToString()}});
    return Page(500, "Installation failed", "The install could not be saved; please try again.");
  }
  HttpResponse page =
      Page(200, "Lessonbook is installed",
           "Lessonbook is installed in " + saved->name + ". Type /lessons help in Slack to start.");
  page.headers["Set-Cookie"] =
      std::string(kSlackStateCookie) + "=; Path=/slack/oauth; Max-Age=0; HttpOnly; SameSite=Lax";
  return page;
}

}  // namespace lessonbook
