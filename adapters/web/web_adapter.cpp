#include "adapters/web/web_adapter.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "adapters/http/dispatch.h"
#include "bot/log.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxUserChars = 64;
constexpr std::size_t kMaxIdBytes = 200;
constexpr std::size_t kMaxClientMsgIdBytes = 100;
constexpr std::size_t kMaxStateBytes = 8192;
constexpr std::size_t kMaxFormValues = 100;
constexpr std::size_t kMaxChannelBytes = 200;

// ---- UTF-8 ----

// Offset of the first byte that is not part of well-formed UTF-8 (Unicode Table 3-7), or npos.
std::size_t FirstInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    const unsigned char second = byte(i + 1);
    if (second < lo || second > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      const unsigned char cont = byte(i + k);
      if (cont < 0x80 || cont > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

bool IsWellFormedUtf8(std::string_view s) { return FirstInvalidUtf8(s) == std::string_view::npos; }

// The code points of valid UTF-8 s.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

// Names the JSON member whose string contains byte `offset` of body ("text", "values.goal"),
// for error messages about invalid UTF-8; "the body" when it is not inside a member's value.
std::string MemberAtOffset(std::string_view body, std::size_t offset) {
  struct Frame {
    bool object = false;
    std::string key;
  };
  std::vector<Frame> stack;
  std::string last_string;
  std::string current;
  bool in_string = false;
  for (std::size_t i = 0; i < body.size() && i < offset; ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        last_string = current;
      } else {
        current += c;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        current.clear();
        break;
      case '{':
        stack.push_back({true, ""});
        break;
      case '[':
        stack.push_back({false, ""});
        break;
      case '}':
      case ']':
        if (!stack.empty()) stack.pop_back();
        break;
      case ':':
        if (!stack.empty() && stack.back().object) stack.back().key = last_string;
        break;
      case ',':
        if (!stack.empty() && stack.back().object) stack.back().key.clear();
        break;
      default:
        break;
    }
  }
  std::string path;
  for (const Frame& f : stack) {
    if (!f.object || f.key.empty()) continue;
    if (!path.empty()) path += '.';
    path += f.key;
  }
  if (path.empty() || !IsWellFormedUtf8(path)) return "the body";
  return path;
}

// ---- validation helpers ----

bool HasControlChars(std::string_view s, bool allow_newlines) {
  for (char32_t cp : CodePoints(s)) {
    if (allow_newlines && (cp == '\n' || cp == '\r' || cp == '\t')) continue;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029) {
      return true;
    }
  }
  return false;
}

std::string Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && is_space(s[b])) ++b;
  while (e > b && is_space(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads obj[key] as a string into *out. Absent (or null) is an error only when required.
Status ReadString(const json& obj, const char* key, bool required, std::string* out) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string(key) + " is required");
    out->clear();
    return Status::Ok();
  }
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string(key) + " must be a string");
  }
  *out = it->get<std::string>();
  return Status::Ok();
}

Result<std::string> ReadUser(const json& obj) {
  std::string raw;
  Status s = ReadString(obj, "user", true, &raw);
  if (!s.ok()) {
    return Status::InvalidArgument(s.message() + ": your name, 1 to 64 characters");
  }
  const std::string user = Trim(raw);
  const std::size_t chars = CodePoints(user).size();
  if (chars == 0 || chars > kMaxUserChars) {
    return Status::InvalidArgument("user must be 1 to 64 characters (it has " +
                                   std::to_string(chars) + ")");
  }
  if (HasControlChars(user, false)) {
    return Status::InvalidArgument("user must be printable: no control characters or newlines");
  }
  return user;
}

Result<std::string> ReadClientMsgId(const json& obj) {
  std::string id;
  Status s = ReadString(obj, "client_msg_id", false, &id);
  if (!s.ok()) return s;
  const bool ok_chars = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
  if (id.size() > kMaxClientMsgIdBytes || !ok_chars) {
    return Status::InvalidArgument(
        "client_msg_id must be up to 100 letters, digits, '-', '_', '.' or ':' (a UUID)");
  }
  return id;
}

Status ReadId(const json& obj, const char* key, std::string* out) {
  Status s = ReadString(obj, key, true, out);
  if (!s.ok()) return s;
  if (out->empty() || out->size() > kMaxIdBytes || HasControlChars(*out, false)) {
    return Status::InvalidArgument(std::string(key) + " must be 1 to 200 printable characters");
  }
  return Status::Ok();
}

// ---- tokens ----

bool TokensEqual(std::string_view given, std::string_view expected) {
  unsigned char a[EVP_MAX_MD_SIZE];
  unsigned char b[EVP_MAX_MD_SIZE];
  unsigned int a_len = 0;
  unsigned int b_len = 0;
  // Hashing first makes the comparison independent of the lengths, too.
  if (EVP_Digest(given.data(), given.size(), a, &a_len, EVP_sha256(), nullptr) != 1 ||
      EVP_Digest(expected.data(), expected.size(), b, &b_len, EVP_sha256(), nullptr) != 1 ||
      a_len != b_len) {
    return false;
  }
  return CRYPTO_memcmp(a, b, a_len) == 0;
}

// True when an Origin header ("http://localhost:8080") names the Host ("localhost:8080").
bool OriginMatchesHost(std::string_view origin, std::string_view host) {
  std::string o = ToLower(origin);
  for (std::string_view scheme : {"http://", "https://"}) {
    if (o.rfind(scheme, 0) == 0) {
      o.erase(0, scheme.size());
      return !o.empty() && o == ToLower(host);
    }
  }
  return false;
}

// ---- message view ----

const char* VisibilityName(Visibility v) {
  return v == Visibility::kChannel ? "channel" : "private";
}

const char* ButtonStyleName(ButtonStyle s) {
  switch (s) {
    case ButtonStyle::kPrimary:
      return "primary";
    case ButtonStyle::kDanger:
      return "danger";
    case ButtonStyle::kDefault:
      return "default";
  }
  return "default";
}

const char* InputKindName(InputKind k) {
  switch (k) {
    case InputKind::kText:
      return "text";
    case InputKind::kMultilineText:
      return "multiline";
    case InputKind::kChoice:
      return "choice";
    case InputKind::kMultiChoice:
      return "multi_choice";
  }
  return "text";
}

json MessageJson(const Message& m) {
  json sections = json::array();
  for (const Section& section : m.sections) {
    json spans = json::array();
    for (const Span& span : section.text) {
      spans.push_back(
          {{"text", span.text}, {"strong", span.strong}, {"highlight", span.highlight}});
    }
    json fields = json::array();
    for (const Field& f : section.fields)
      fields.push_back({{"label", f.label}, {"value", f.value}});
    json buttons = json::array();
    for (const Button& b : section.buttons) {
      buttons.push_back({{"label", b.label},
                         {"action_id", b.action_id},
                         {"value", b.value},
                         {"style", ButtonStyleName(b.style)}});
    }
    sections.push_back({{"text", std::move(spans)},
                        {"fields", std::move(fields)},
                        {"context", section.context},
                        {"buttons", std::move(buttons)}});
  }
  json out = {{"text", m.text},
              {"is_error", m.is_error},
              {"visibility", VisibilityName(m.visibility)},
              {"sections", std::move(sections)}};
  if (m.form) {
    const Form& f = *m.form;
    json inputs = json::array();
    for (const Input& in : f.inputs) {
      json choices = json::array();
      for (const Choice& c : in.choices)
        choices.push_back({{"value", c.value}, {"label", c.label}});
      inputs.push_back({{"id", in.id},
                        {"label", in.label},
                        {"kind", InputKindName(in.kind)},
                        {"choices", std::move(choices)},
                        {"initial", in.initial},
                        {"placeholder", in.placeholder},
                        {"required", in.required},
                        {"max_length", in.max_length}});
    }
    out["form"] = {{"form_id", f.form_id},
                   {"title", f.title},
                   {"submit_label", f.submit_label},
                   {"state", f.state},
                   {"inputs", std::move(inputs)}};
  }
  return out;
}

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

HttpResponse JsonAnswer(int status, const json& body) {
  HttpResponse r = HttpResponse::Json(status, Dump(body));
  r.headers["Cache-Control"] = "no-store";
  return r;
}

bool IsWebChannel(std::string_view channel) {
  return channel.size() > 4 && channel.size() <= kMaxChannelBytes &&
         channel.substr(0, 4) == "web:" && IsWellFormedUtf8(channel) &&
         !HasControlChars(channel, false);
}

}  // namespace

std::string RenderMessageView(const Message& message) { return Dump(MessageJson(message)); }

WebAdapter::WebAdapter(WorkspaceId workspace_id, const Config& config, WebAdapterOptions options)
    : workspace_id_(workspace_id),
      open_without_token_(config.WebOpenWithoutToken()),
      token_(config.web_token),
      options_(options) {}

Status WebAdapter::CheckAccess(const HttpRequest& request) const {
  const std::string host = request.Header("host");
  if (open_without_token_ && IsLoopbackHost(host)) {
    // Open on this machine: refuse what another site's page sends through the browser.
    const std::string origin = request.Header("origin");
    if (!origin.empty() && !OriginMatchesHost(origin, host)) {
      return Status::PermissionDenied(
          "cross-site request refused: the web chat answers only its own page");
    }
    return Status::Ok();
  }
  if (token_.empty()) {
    if (open_without_token_) {
      return Status::Unauthenticated(
          "the web chat answers without a token only on this machine (open it at "
          "http://localhost or http://127.0.0.1); to use it from elsewhere set "
          "LESSONBOOK_WEB_TOKEN");
    }
    return Status::Unauthenticated(
        "the web chat is off because platform credentials or LESSONBOOK_PUBLIC_URL are set: "
        "set LESSONBOOK_WEB_TOKEN to a secret and sign in with it");
  }
  const std::string auth = request.Header("authorization");
  if (auth.empty()) {
    return Status::Unauthenticated(
        "the web chat needs its token: send Authorization: Bearer <LESSONBOOK_WEB_TOKEN>");
  }
  if (auth.size() < 7 || ToLower(auth.substr(0, 7)) != "bearer ") {
    return Status::Unauthenticated("the Authorization header must be 'Bearer <token>'");
  }
  if (!TokensEqual(Trim(auth.substr(7)), token_)) {
    return Status::Unauthenticated("the web chat token is wrong: check LESSONBOOK_WEB_TOKEN");
  }
  return Status::Ok();
}

Result<Inbound> WebAdapter::Parse(const HttpRequest& request) {
  Status access = CheckAccess(request);
  if (!access.ok()) return access;
  const std::string& path = request.path;
  if (path != "/web/messages" && path != "/web/forms" && path != "/web/actions") {
    return Status::NotFound("no web chat endpoint at " + path);
  }
  if (request.method != "POST") {
    return Status::InvalidArgument(path + " takes POST");
  }
  const std::string content_type = ToLower(request.Header("content-type"));
  if (content_type.rfind("application/json", 0) != 0) {
    return Status::InvalidArgument("send the body as JSON with Content-Type: application/json");
  }
  const std::size_t bad = FirstInvalidUtf8(request.body);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument(MemberAtOffset(request.body, bad) + " is not valid UTF-8");
  }
  json body;
  try {
    body = json::parse(request.body);
  } catch (const json::parse_error& e) {
    return Status::InvalidArgument("the body is not valid JSON (at byte " + std::to_string(e.byte) +
                                   ")");
  }
  if (!body.is_object()) {
    return Status::InvalidArgument(
        "the body must be a JSON object, e.g. {\"text\": \"help\", "
        "\"user\": \"alice\"}");
  }

  Result<std::string> user = ReadUser(body);
  if (!user.ok()) return user.status();
  Result<std::string> client_msg_id = ReadClientMsgId(body);
  if (!client_msg_id.ok()) return client_msg_id.status();

  Inbound in;
  in.workspace_id = workspace_id_;
  in.platform = Platform::kWeb;
  in.user_id = "web:" + *user;
  in.user_name = *user;
  in.channel_id = std::string(kWebGeneralChannel);
  in.reply_to = std::string(kWebGeneralChannel);
  // Namespaced, so a browser-chosen id can never collide with the engine's own keys.
  in.request_key = client_msg_id->empty() ? "" : "web:" + *client_msg_id;

  if (path == "/web/messages") {
    std::string text;
    Status s = ReadString(body, "text", true, &text);
    if (!s.ok()) return Status::InvalidArgument(s.message() + ": the command to run, e.g. help");
    if (text.size() > options_.max_text_bytes) {
      return Status::InvalidArgument("text is too long: " + std::to_string(text.size()) +
                                     " bytes, the limit is " +
                                     std::to_string(options_.max_text_bytes));
    }
    if (HasControlChars(text, true)) {
      return Status::InvalidArgument("text contains control characters");
    }
    if (Trim(text).empty()) {
      return Status::InvalidArgument("text is empty: type a command, e.g. help");
    }
    in.event = CommandEvent{std::move(text)};
    return in;
  }

  if (path == "/web/forms") {
    FormSubmitEvent form;
    Status s = ReadId(body, "form_id", &form.form_id);
    if (!s.ok()) return s;
    s = ReadString(body, "state", false, &form.state);
    if (!s.ok()) return s;
    if (form.state.size() > kMaxStateBytes) {
      return Status::InvalidArgument("state is too long");
    }
    auto values = body.find("values");
    if (values == body.end() || !values->is_object()) {
      return Status::InvalidArgument("values must be an object of input id to answer");
    }
    if (values->size() > kMaxFormValues) {
      return Status::InvalidArgument("values has more than 100 answers");
    }
    for (const auto& [id, value] : values->items()) {
      if (id.empty() || id.size() > kMaxIdBytes || HasControlChars(id, false)) {
        return Status::InvalidArgument("values: input ids must be 1 to 200 printable characters");
      }
      std::string answer;
      if (value.is_string()) {
        answer = value.get<std::string>();
      } else if (value.is_array()) {
        for (const json& item : value) {
          if (!item.is_string()) {
            return Status::InvalidArgument("values." + id + " must be a string or strings");
          }
          if (!answer.empty()) answer += ',';
          answer += item.get<std::string>();
        }
      } else if (!value.is_null()) {
        return Status::InvalidArgument("values." + id + " must be a string or strings");
      }
      if (answer.size() > options_.max_text_bytes) {
        return Status::InvalidArgument("values." + id + " is too long: the limit is " +
                                       std::to_string(options_.max_text_bytes) + " bytes");
      }
      if (HasControlChars(answer, true)) {
        return Status::InvalidArgument("values." + id + " contains control characters");
      }
      form.values[id] = std::move(answer);
    }
    in.event = std::move(form);
    return in;
  }

  ActionEvent action;
  Status s = ReadId(body, "action_id", &action.action_id);
  if (!s.ok()) return s;
  s = ReadString(body, "value", false, &action.value);
  if (!s.ok()) return s;
  if (action.value.size() > kMaxStateBytes || HasControlChars(action.value, true)) {
    return Status::InvalidArgument("value must be printable text up to 8192 bytes");
  }
  in.event = std::move(action);
  return in;
}

HttpResponse WebAdapter::Render(const Inbound& inbound, const Reply& reply) {
  json out = {{"messages", json::array()}};
  if (reply.message) {
    out["messages"].push_back(MessageJson(*reply.message));
    if (reply.message->visibility == Visibility::kChannel) {
      const std::string& channel =
          IsWebChannel(inbound.reply_to) ? inbound.reply_to : inbound.channel_id;
      Result<std::int64_t> seq = Append(channel, *reply.message, inbound.user_name);
      if (seq.ok()) {
        out["shared_seq"] = *seq;
      } else {
        LogWarn("web.feed_append_failed",
                {{"channel", channel}, {"reason", seq.status().message()}});
      }
    }
  }
  return JsonAnswer(200, out);
}

Delivery WebAdapter::Deliver(const Outbound& out) {
  // A DM ("dm:web:ana") goes to that person's own feed, which only their page polls.
  std::string channel = out.target;
  if (channel.rfind("dm:web:", 0) == 0) channel = "web:dm:" + channel.substr(7);
  Result<std::int64_t> seq = Append(channel, out.message, "");
  if (!seq.ok()) return Delivery::Failed(seq.status().message());
  return Delivery::Sent();
}

Result<std::int64_t> WebAdapter::Append(const std::string& channel, const Message& message,
                                        const std::string& user) {
  if (!IsWebChannel(channel)) {
    return Status::InvalidArgument("'" + channel + "' is not a web channel (web:<name>)");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = feeds_.find(channel);
  if (it == feeds_.end()) {
    if (feeds_.size() >= options_.max_channels) {
      return Status::Unavailable("the web chat keeps at most " +
                                 std::to_string(options_.max_channels) + " channels");
    }
    it = feeds_.emplace(channel, std::deque<FeedEntry>{}).first;
  }
  const std::int64_t seq = next_seq_++;
  it->second.push_back(FeedEntry{seq, message, user});
  while (it->second.size() > options_.feed_size) it->second.pop_front();
  return seq;
}

std::vector<WebAdapter::FeedEntry> WebAdapter::ReadFeed(std::string_view channel,
                                                        std::int64_t after, std::size_t limit,
                                                        std::int64_t* last) const {
  std::vector<FeedEntry> out;
  std::lock_guard<std::mutex> lock(mu_);
  const std::int64_t newest = next_seq_ - 1;
  // A cursor from before a restart (the feed lives in memory) starts over.
  if (after > newest || after < 0) after = 0;
  *last = newest;
  auto it = feeds_.find(channel);
  if (it == feeds_.end()) return out;
  for (const FeedEntry& e : it->second) {
    if (e.seq <= after) continue;
    if (out.size() >= limit) {
      *last = out.back().seq;  // more to come: continue from here
      return out;
    }
    out.push_back(e);
  }
  return out;
}

HttpResponse WebAdapter::Feed(const HttpRequest& request) {
  Status access = CheckAccess(request);
  if (!access.ok()) {
    LogWarn("web.rejected", {{"rid", request.request_id},
                             {"path", request.path},
                             {"code", CodeName(access.code())},
                             {"reason", access.message()}});
    return RejectionResponse(access);
  }
  auto q = request.query.find("channel");
  const std::string channel =
      q == request.query.end() || q->second.empty() ? std::string(kWebGeneralChannel) : q->second;
  if (!IsWebChannel(channel)) {
    return RejectionResponse(
        Status::InvalidArgument("channel must be a web channel, e.g. web:general"));
  }
  std::int64_t after = 0;
  auto a = request.query.find("after");
  if (a != request.query.end() && !a->second.empty()) {
    const std::string& v = a->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), after);
    if (ec != std::errc() || end != v.data() + v.size() || after < 0) {
      return RejectionResponse(
          Status::InvalidArgument("after must be a whole number >= 0 (the last seq you saw)"));
    }
  }
  std::int64_t last = 0;
  const std::vector<FeedEntry> entries = ReadFeed(channel, after, options_.feed_page, &last);
  json messages = json::array();
  for (const FeedEntry& e : entries) {
    json item = {{"seq", e.seq}, {"message", MessageJson(e.message)}};
    if (!e.user.empty()) item["user"] = e.user;
    messages.push_back(std::move(item));
  }
  return JsonAnswer(200, {{"messages", std::move(messages)}, {"last", last}});
}

}  // namespace lessonbook
