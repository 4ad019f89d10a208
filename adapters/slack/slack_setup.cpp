#include "adapters/slack/slack_setup.h"

#include <nlohmann/json.hpp>

#include "bot/log.h"
#include "storage/store.h"

namespace lessonbook {

SlackAdapterOptions SlackOptionsFrom(const Config& config) {
  SlackAdapterOptions o;
  o.signing_secret = config.slack_signing_secret;
  o.bot_token = config.slack_bot_token;
  o.client_id = config.slack_client_id;
  o.client_secret = config.slack_client_secret;
  o.public_url = config.public_url;
  o.data_key = config.data_key;
  o.timezone = config.timezone.empty() ? "UTC" : config.timezone;
  o.api.api_base = config.slack_api_base.empty() ? "https://slack.com/api" : config.slack_api_base;
  return o;
}

Result<std::unique_ptr<SlackAdapter>> StartSlack(Store& store, const Clock& clock,
                                                 const Config& config) {
  auto made = SlackAdapter::Create(store, clock, SlackOptionsFrom(config));
  if (!made.ok()) return made.status();
  std::unique_ptr<SlackAdapter> adapter = std::move(*made);
  if (!config.slack_client_id.empty()) WarnOnceIfSecretsUnencrypted(config);
  if (config.slack_bot_token.empty()) {
    LogInfo("slack.started", {{"mode", "oauth"}});
    return adapter;
  }
  SlackApiResult r = adapter->api().Call("auth.test", config.slack_bot_token, "{}");
  if (r.kind == SlackApiResult::Kind::kPermanent) {
    return Status::InvalidArgument("Slack refused SLACK_BOT_TOKEN (" + r.error +
                                   "): copy the Bot User OAuth Token (xoxb-…) from the app's "
                                   "OAuth & Permissions page");
  }
  if (!r.ok()) {
    return Status::Unavailable("cannot reach Slack to check SLACK_BOT_TOKEN (" + r.error +
                               "); check SLACK_API_BASE and the network");
  }
  nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
  auto str = [&](const char* k) {
    return body.is_object() && body.contains(k) && body[k].is_string() ? body[k].get<std::string>()
                                                                       : std::string();
  };
  const std::string team_id = str("team_id");
  if (team_id.empty()) return Status::Unavailable("auth.test answered without a team_id");
  Workspace w;
  w.platform = Platform::kSlack;
  w.external_id = team_id;
  w.name = str("team");
  w.timezone = config.timezone.empty() ? "UTC" : config.timezone;
  auto ws = store.EnsureWorkspace(w);
  if (!ws.ok()) return ws.status();
  adapter->SetBotUserId(team_id, str("user_id"));
  LogInfo("slack.started", {{"mode", "single-workspace"},
                            {"team", team_id},
                            {"ws", std::to_string(ws->id)},
                            {"bot_user", str("user_id")}});
  return adapter;
}

}  // namespace lessonbook
