#include "adapters/slack/block_kit.h"

#include <nlohmann/json.hpp>

#include "adapters/json_fields.h"
#include "adapters/json_text.h"

namespace lessonbook {
namespace {

using json = nlohmann::json;

constexpr std::size_t kContextTextMax = 2000;
constexpr std::size_t kFieldTextMax = 2000;
constexpr std::size_t kButtonTextMax = 75;
constexpr std::size_t kButtonValueMax = 2000;
constexpr std::size_t kFieldsMax = 10;
constexpr std::size_t kViewTitleMax = 24;
constexpr std::size_t kInputLabelMax = 2000;
constexpr std::size_t kPlaceholderMax = 150;
constexpr std::size_t kOptionTextMax = 75;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

json PlainText(std::string_view text, std::size_t max) {
  return {{"type", "plain_text"}, {"text", TruncateChars(text, max)}, {"emoji", true}};
}

bool IsIdChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "@U024BE7LH" (a Slack user id, as AuthorLabel writes it) -> "<@U024BE7LH>"; escaped text in.
std::string LinkUserIds(const std::string& escaped) {
  std::string out;
  out.reserve(escaped.size() + 8);
  std::size_t run = 0;  // start of the characters not yet appended
  for (std::size_t i = escaped.find('@'); i != std::string::npos; i = escaped.find('@', i + 1)) {
    const bool boundary = i == 0 || escaped[i - 1] == ' ';
    if (!boundary || i + 1 >= escaped.size() || (escaped[i + 1] != 'U' && escaped[i + 1] != 'W')) {
      continue;
    }
    std::size_t j = i + 1;
    while (j < escaped.size() && IsIdChar(escaped[j])) ++j;
    const bool ends = j == escaped.size() || escaped[j] == ' ';
    if (!ends || j - i - 1 < 3) continue;
    out.append(escaped, run, i - run);
    out += "<@";
    out.append(escaped, i + 1, j - i - 1);
    out += '>';
    run = j;
    i = j - 1;
  }
  out.append(escaped, run, std::string::npos);
  return out;
}

// Appends `escaped` in bold mrkdwn: the asterisks hug the words, spaces stay outside, and each
// line is bolded on its own (a line break inside bold breaks Slack's emphasis).
void AppendBold(std::string& out, std::string_view escaped) {
  const std::size_t b = escaped.find_first_not_of(" \n\t");
  if (b == std::string_view::npos) {
    out.append(escaped);
    return;
  }
  const std::size_t e = escaped.find_last_not_of(" \n\t");
  out.append(escaped.substr(0, b));
  const std::string_view inner = escaped.substr(b, e - b + 1);
  std::size_t pos = 0;
  while (pos <= inner.size()) {
    const std::size_t nl = inner.find('\n', pos);
    const std::string_view line =
        inner.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!line.empty()) {
      out += '*';
      out.append(line);
      out += '*';
    }
    if (nl == std::string_view::npos) break;
    out += '\n';
    pos = nl + 1;
  }
  out.append(escaped.substr(e + 1));
}

// Appends text with Slack's three control characters escaped. A byte loop, not
// find_first_of("&<>"), which looks each byte up in the set with a call of its own.
void AppendEscapedSlackText(std::string& out, std::string_view text) {
  std::size_t run = 0;  // start of the characters not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c != '&' && c != '<' && c != '>') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    out += c == '&' ? "&amp;" : c == '<' ? "&lt;" : "&gt;";
  }
  out.append(text.data() + run, text.size() - run);
}

const char* StyleName(ButtonStyle s) {
  switch (s) {
    case ButtonStyle::kPrimary:
      return "primary";
    case ButtonStyle::kDanger:
      return "danger";
    case ButtonStyle::kDefault:
      break;
  }
  return nullptr;
}

// Message blocks are written as JSON text directly (adapters/json_text.h): an answer to a slash
// command is rendered on every search, where building it as a json document (a std::map node
// per member) and dumping it was ~5% of a search's CPU time (bench/README.md). Members are
// written in nlohmann's order (sorted by key), so the text is what json::dump wrote; the json
// forms below (MessageBlocks, MessagePayload, HomeView) are parsed from it.

std::string MrkdwnJson(std::string_view text) {
  std::string out = "{";
  AppendJsonMember(out, "text", text);
  out += ",\"type\":\"mrkdwn\"}";
  return out;
}

std::string PlainTextJson(std::string_view text, std::size_t max) {
  std::string out = "{\"emoji\":true,";
  AppendJsonMember(out, "text", TruncateChars(text, max));
  out += ",\"type\":\"plain_text\"}";
  return out;
}

std::string ContextBlockJson(std::string_view mrkdwn) {
  return "{\"elements\":[" + MrkdwnJson(mrkdwn) + "],\"type\":\"context\"}";
}

// The blocks of one section, each a JSON object's text: a section (text and/or fields), a
// context line, an actions block of buttons.
std::vector<std::string> SectionBlocks(const Section& s) {
  std::vector<std::string> blocks;
  const std::string text = MrkdwnOf(s.text);
  if (!text.empty() || !s.fields.empty()) {
    std::string section = "{";
    if (!s.fields.empty()) {
      section += "\"fields\":[";
      std::size_t written = 0;
      for (const Field& f : s.fields) {
        if (written >= kFieldsMax) break;
        if (written++ > 0) section += ',';
        section += MrkdwnJson(TruncateChars(
            "*" + EscapeSlackText(f.label) + "*\n" + EscapeSlackText(f.value), kFieldTextMax));
      }
      section += "],";
    }
    if (!text.empty()) {
      section += "\"text\":" + MrkdwnJson(TruncateChars(text, kSlackSectionTextMax)) + ",";
    }
    section += "\"type\":\"section\"}";
    blocks.push_back(std::move(section));
  }
  if (!s.context.empty()) {
    blocks.push_back(
        ContextBlockJson(TruncateChars(LinkUserIds(EscapeSlackText(s.context)), kContextTextMax)));
  }
  if (!s.buttons.empty()) {
    std::string actions = "{\"elements\":[";
    std::size_t written = 0;
    for (const Button& b : s.buttons) {
      if (written >= 25) break;
      if (written++ > 0) actions += ',';
      actions += '{';
      AppendJsonMember(actions, "action_id", b.action_id.substr(0, 255));
      if (const char* style = StyleName(b.style)) {
        actions += ',';
        AppendJsonMember(actions, "style", style);
      }
      actions += ",\"text\":" + PlainTextJson(b.label, kButtonTextMax) + ",\"type\":\"button\",";
      AppendJsonMember(actions, "value", TruncateChars(b.value, kButtonValueMax));
      actions += '}';
    }
    actions += "],\"type\":\"actions\"}";
    blocks.push_back(std::move(actions));
  }
  return blocks;
}

// The message's blocks as a JSON array's text, at most max_blocks.
std::string BlocksText(const Message& m, std::size_t max_blocks) {
  std::vector<std::string> blocks;
  if (!m.text.empty()) {
    std::string text = EscapeSlackText(m.text);
    if (m.is_error) text = ":warning: " + text;
    blocks.push_back("{\"text\":" + MrkdwnJson(TruncateChars(text, kSlackSectionTextMax)) +
                     ",\"type\":\"section\"}");
  }
  for (const Section& s : m.sections) {
    std::vector<std::string> part = SectionBlocks(s);
    if (blocks.size() + part.size() > max_blocks) {
      // Room for one line saying the rest was left out.
      if (blocks.size() < max_blocks) {
        blocks.push_back(ContextBlockJson("…more than Slack shows at once; refine the search"));
      }
      break;
    }
    for (std::string& b : part) blocks.push_back(std::move(b));
  }
  std::size_t size = 2;
  for (const std::string& b : blocks) size += b.size() + 1;
  std::string out;
  out.reserve(size);
  out += '[';
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) out += ',';
    out += blocks[i];
  }
  out += ']';
  return out;
}

json Option(const Choice& c) {
  return {{"text", PlainText(c.label.empty() ? c.value : c.label, kOptionTextMax)},
          {"value", c.value}};
}

json InputBlock(const Input& in) {
  json element;
  switch (in.kind) {
    case InputKind::kText:
    case InputKind::kMultilineText: {
      element = {{"type", "plain_text_input"}, {"action_id", in.id}};
      if (in.kind == InputKind::kMultilineText) element["multiline"] = true;
      if (!in.initial.empty()) element["initial_value"] = in.initial;
      if (in.max_length > 0) element["max_length"] = in.max_length;
      break;
    }
    case InputKind::kChoice:
    case InputKind::kMultiChoice: {
      const bool multi = in.kind == InputKind::kMultiChoice;
      element = {{"type", multi ? "multi_static_select" : "static_select"}, {"action_id", in.id}};
      json options = json::array();
      json initial = json::array();
      for (const Choice& c : in.choices) {
        options.push_back(Option(c));
        if (multi) {
          std::string list = "," + in.initial + ",";
          if (list.find("," + c.value + ",") != std::string::npos) initial.push_back(Option(c));
        } else if (c.value == in.initial) {
          element["initial_option"] = Option(c);
        }
      }
      element["options"] = std::move(options);
      if (multi && !initial.empty()) element["initial_options"] = std::move(initial);
      break;
    }
  }
  if (!in.placeholder.empty()) element["placeholder"] = PlainText(in.placeholder, kPlaceholderMax);
  return {{"type", "input"},
          {"block_id", in.id},
          {"label", PlainText(in.label, kInputLabelMax)},
          {"optional", !in.required},
          {"element", std::move(element)}};
}

}  // namespace

std::string EscapeSlackText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscapedSlackText(out, text);
  return out;
}

std::string TruncateChars(std::string_view text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (IsContinuation(static_cast<unsigned char>(text[i]))) continue;
    if (chars == max_chars) {
      // Cut before this character, leaving room for the ellipsis.
      std::size_t cut = i;
      do {
        --cut;
      } while (cut > 0 && IsContinuation(static_cast<unsigned char>(text[cut])));
      return std::string(text.substr(0, cut)) + "…";
    }
    ++chars;
  }
  return std::string(text);
}

std::string MrkdwnOf(const RichText& text) {
  std::string out;
  std::string escaped;  // a bold span's text, escaped before its asterisks are placed
  for (const Span& span : text) {
    if (span.strong || span.highlight) {
      escaped.clear();
      AppendEscapedSlackText(escaped, span.text);
      AppendBold(out, escaped);
    } else {
      AppendEscapedSlackText(out, span.text);
    }
  }
  return out;
}

json MessageBlocks(const Message& message) {
  return json::parse(BlocksText(message, kSlackMessageBlocksMax));
}

std::string MessagePayloadText(const Message& message, std::string_view response_type) {
  std::string fallback = message.text;
  if (fallback.empty() && !message.sections.empty()) {
    for (const Span& s : message.sections.front().text) fallback += s.text;
  }
  std::string out = "{\"blocks\":" + BlocksText(message, kSlackMessageBlocksMax);
  if (!response_type.empty()) {
    out += ',';
    AppendJsonMember(out, "response_type", response_type);
  }
  out += ',';
  AppendJsonMember(out, "text", TruncateChars(EscapeSlackText(fallback), kSlackSectionTextMax));
  out += '}';
  return out;
}

json MessagePayload(const Message& message) { return json::parse(MessagePayloadText(message)); }

json ModalView(const Form& form, std::string_view private_metadata) {
  json blocks = json::array();
  for (const Input& in : form.inputs) {
    if (blocks.size() >= kSlackViewBlocksMax) break;
    blocks.push_back(InputBlock(in));
  }
  return {{"type", "modal"},
          {"callback_id", form.form_id},
          {"title", PlainText(form.title, kViewTitleMax)},
          {"submit", PlainText(form.submit_label, kViewTitleMax)},
          {"close", PlainText("Cancel", kViewTitleMax)},
          {"private_metadata", std::string(private_metadata.substr(0, 3000))},
          {"blocks", std::move(blocks)}};
}

json HomeView(const Message& message) {
  return {{"type", "home"}, {"blocks", json::parse(BlocksText(message, kSlackViewBlocksMax))}};
}

std::map<std::string, std::string> ViewStateValues(const json& state_values) {
  std::map<std::string, std::string> out;
  if (!state_values.is_object()) return out;
  for (const auto& [block_id, actions] : state_values.items()) {
    if (!actions.is_object()) continue;
    for (const auto& [action_id, element] : actions.items()) {
      if (!element.is_object()) continue;
      const std::string type = JsonString(element, "type");  // untrusted: any type
      std::string value;
      if (type == "plain_text_input" || type == "email_text_input" || type == "url_text_input" ||
          type == "number_input") {
        if (element.contains("value") && element["value"].is_string()) {
          value = element["value"].get<std::string>();
        }
      } else if (type == "static_select" || type == "radio_buttons") {
        const json& opt = element.contains("selected_option") ? element["selected_option"] : json();
        if (opt.is_object() && opt.contains("value") && opt["value"].is_string()) {
          value = opt["value"].get<std::string>();
        }
      } else if (type == "multi_static_select" || type == "checkboxes") {
        const json& opts =
            element.contains("selected_options") ? element["selected_options"] : json();
        if (opts.is_array()) {
          for (const json& o : opts) {
            if (!o.is_object() || !o.contains("value") || !o["value"].is_string()) continue;
            if (!value.empty()) value += ',';
            value += o["value"].get<std::string>();
          }
        }
      } else {
        continue;
      }
      (void)action_id;
      out[block_id] = std::move(value);
    }
  }
  return out;
}

}  // namespace lessonbook
