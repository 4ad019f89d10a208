#include "adapters/slack/block_kit.h"

#include <nlohmann/json.hpp>

#include "adapters/json_fields.h"

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

json Mrkdwn(const std::string& text) { return {{"type", "mrkdwn"}, {"text", text}}; }

bool IsIdChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// "@U024BE7LH" (a Slack user id, as AuthorLabel writes it) -> "<@U024BE7LH>"; escaped text in.
std::string LinkUserIds(const std::string& escaped) {
  std::string out;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    const bool boundary = i == 0 || escaped[i - 1] == ' ';
    if (escaped[i] == '@' && boundary && i + 1 < escaped.size() &&
        (escaped[i + 1] == 'U' || escaped[i + 1] == 'W')) {
      std::size_t j = i + 1;
      while (j < escaped.size() && IsIdChar(escaped[j])) ++j;
      const bool ends = j == escaped.size() || escaped[j] == ' ';
      if (ends && j - i - 1 >= 3) {
        out += "<@" + escaped.substr(i + 1, j - i - 1) + ">";
        i = j - 1;
        continue;
      }
    }
    out += escaped[i];
  }
  return out;
}

// Bold in mrkdwn: the asterisks hug the words, spaces stay outside.
std::string Bold(const std::string& escaped) {
  std::size_t b = escaped.find_first_not_of(" \n\t");
  if (b == std::string::npos) return escaped;
  std::size_t e = escaped.find_last_not_of(" \n\t");
  std::string inner = escaped.substr(b, e - b + 1);
  // A line break inside bold breaks Slack's emphasis: bold each line.
  std::string bolded;
  std::size_t pos = 0;
  while (pos <= inner.size()) {
    std::size_t nl = inner.find('\n', pos);
    std::string line = inner.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!line.empty()) bolded += "*" + line + "*";
    if (nl == std::string::npos) break;
    bolded += '\n';
    pos = nl + 1;
  }
  return escaped.substr(0, b) + bolded + escaped.substr(e + 1);
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

json SectionBlocks(const Section& s) {
  json blocks = json::array();
  const std::string text = MrkdwnOf(s.text);
  json section = {{"type", "section"}};
  bool has_section = false;
  if (!text.empty()) {
    section["text"] = Mrkdwn(TruncateChars(text, kSlackSectionTextMax));
    has_section = true;
  }
  if (!s.fields.empty()) {
    json fields = json::array();
    for (const Field& f : s.fields) {
      if (fields.size() >= kFieldsMax) break;
      fields.push_back(Mrkdwn(TruncateChars(
          "*" + EscapeSlackText(f.label) + "*\n" + EscapeSlackText(f.value), kFieldTextMax)));
    }
    section["fields"] = std::move(fields);
    has_section = true;
  }
  if (has_section) blocks.push_back(std::move(section));
  if (!s.context.empty()) {
    blocks.push_back(
        {{"type", "context"},
         {"elements", json::array({Mrkdwn(TruncateChars(LinkUserIds(EscapeSlackText(s.context)),
                                                        kContextTextMax))})}});
  }
  if (!s.buttons.empty()) {
    json elements = json::array();
    for (const Button& b : s.buttons) {
      if (elements.size() >= 25) break;
      json button = {{"type", "button"},
                     {"text", PlainText(b.label, kButtonTextMax)},
                     {"action_id", b.action_id.substr(0, 255)},
                     {"value", TruncateChars(b.value, kButtonValueMax)}};
      if (const char* style = StyleName(b.style)) button["style"] = style;
      elements.push_back(std::move(button));
    }
    blocks.push_back({{"type", "actions"}, {"elements", std::move(elements)}});
  }
  return blocks;
}

json Blocks(const Message& m, std::size_t max_blocks) {
  json blocks = json::array();
  if (!m.text.empty()) {
    std::string text = EscapeSlackText(m.text);
    if (m.is_error) text = ":warning: " + text;
    blocks.push_back(
        {{"type", "section"}, {"text", Mrkdwn(TruncateChars(text, kSlackSectionTextMax))}});
  }
  for (const Section& s : m.sections) {
    json part = SectionBlocks(s);
    if (blocks.size() + part.size() > max_blocks) {
      // Room for one line saying the rest was left out.
      if (blocks.size() < max_blocks) {
        blocks.push_back({{"type", "context"},
                          {"elements", json::array({Mrkdwn("…more than Slack shows at once; "
                                                           "refine the search")})}});
      }
      break;
    }
    for (auto& b : part) blocks.push_back(std::move(b));
  }
  return blocks;
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
  for (char c : text) {
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
      default:
        out += c;
    }
  }
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
  for (const Span& span : text) {
    std::string escaped = EscapeSlackText(span.text);
    out += (span.strong || span.highlight) ? Bold(escaped) : escaped;
  }
  return out;
}

json MessageBlocks(const Message& message) { return Blocks(message, kSlackMessageBlocksMax); }

json MessagePayload(const Message& message) {
  std::string fallback = message.text;
  if (fallback.empty() && !message.sections.empty()) {
    for (const Span& s : message.sections.front().text) fallback += s.text;
  }
  return {{"text", TruncateChars(EscapeSlackText(fallback), kSlackSectionTextMax)},
          {"blocks", MessageBlocks(message)}};
}

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
  return {{"type", "home"}, {"blocks", Blocks(message, kSlackViewBlocksMax)}};
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
