#include "adapters/teams/adaptive_cards.h"

#include <nlohmann/json.hpp>

namespace lessonbook::teams {
namespace {

using json = nlohmann::json;

constexpr const char* kSchema = "http://adaptivecards.io/schemas/adaptive-card.json";
constexpr const char* kVersion = "1.5";

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Card templating evaluates "{{DATE(…)}}"-style functions in text: break every "{{" up.
std::string Literal(std::string s) {
  for (std::size_t at = s.find("{{"); at != std::string::npos; at = s.find("{{", at + 2)) {
    s.insert(at + 1, "\u200B");  // a zero-width space between the braces
  }
  return s;
}

json Run(const std::string& text, bool strong, bool highlight, bool subtle) {
  json run = {{"type", "TextRun"}, {"text", Literal(text)}};
  if (strong) run["weight"] = "Bolder";
  if (highlight) run["highlight"] = true;
  if (subtle) {
    run["isSubtle"] = true;
    run["size"] = "Small";
  }
  return run;
}

// Spans as RichTextBlocks, one per line (TextRuns do not break lines themselves).
void AddRichText(const RichText& spans, json* body, bool subtle = false,
                 const char* color = nullptr) {
  json inlines = json::array();
  auto flush = [&] {
    if (inlines.empty()) return;
    json block = {{"type", "RichTextBlock"}, {"inlines", std::move(inlines)}};
    if (color != nullptr) {
      for (json& run : block["inlines"]) run["color"] = color;
    }
    body->push_back(std::move(block));
    inlines = json::array();
  };
  for (const Span& span : spans) {
    std::size_t start = 0;
    while (start <= span.text.size()) {
      const std::size_t nl = span.text.find('\n', start);
      const std::string piece =
          span.text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!piece.empty()) inlines.push_back(Run(piece, span.strong, span.highlight, subtle));
      if (nl == std::string::npos) break;
      flush();
      start = nl + 1;
    }
  }
  flush();
}

const char* ActionStyle(ButtonStyle s) {
  switch (s) {
    case ButtonStyle::kPrimary:
      return "positive";
    case ButtonStyle::kDanger:
      return "destructive";
    case ButtonStyle::kDefault:
      break;
  }
  return "default";
}

json SectionElements(const Section& section) {
  json items = json::array();
  AddRichText(section.text, &items);
  if (!section.fields.empty()) {
    json facts = json::array();
    for (const Field& f : section.fields) {
      facts.push_back({{"title", Literal(f.label)}, {"value", Literal(f.value)}});
    }
    items.push_back({{"type", "FactSet"}, {"facts", std::move(facts)}});
  }
  if (!section.context.empty()) AddRichText({Plain(section.context)}, &items, true);
  if (!section.buttons.empty()) {
    json actions = json::array();
    for (const Button& b : section.buttons) {
      actions.push_back(
          {{"type", "Action.Submit"},
           {"title", Literal(b.label)},
           {"style", ActionStyle(b.style)},
           {"data", {{"verb", "action"}, {"action_id", b.action_id}, {"value", b.value}}}});
    }
    items.push_back({{"type", "ActionSet"}, {"actions", std::move(actions)}});
  }
  // A Container keeps a section's parts together and separated from the next section.
  return json{{"type", "Container"},
              {"separator", true},
              {"spacing", "Medium"},
              {"items", std::move(items)}};
}

json FormElements(const Form& form, const std::vector<Field>& errors, json* actions) {
  json items = json::array();
  if (!form.title.empty()) {
    items.push_back({{"type", "TextBlock"},
                     {"text", Literal(form.title)},
                     {"weight", "Bolder"},
                     {"size", "Medium"},
                     {"wrap", true}});
  }
  for (const Input& in : form.inputs) {
    json input;
    if (in.kind == InputKind::kChoice || in.kind == InputKind::kMultiChoice) {
      json choices = json::array();
      for (const Choice& c : in.choices) {
        choices.push_back({{"title", Literal(c.label)}, {"value", c.value}});
      }
      input = {{"type", "Input.ChoiceSet"},
               {"style", "compact"},
               {"choices", std::move(choices)},
               {"isMultiSelect", in.kind == InputKind::kMultiChoice}};
    } else {
      input = {{"type", "Input.Text"}, {"isMultiline", in.kind == InputKind::kMultilineText}};
      if (in.max_length > 0) input["maxLength"] = in.max_length;
      if (!in.placeholder.empty()) input["placeholder"] = Literal(in.placeholder);
    }
    input["id"] = in.id;
    input["label"] = Literal(in.label);
    input["isRequired"] = in.required;
    if (in.required) input["errorMessage"] = Literal(in.label + " is required");
    if (!in.initial.empty()) input["value"] = in.initial;
    items.push_back(std::move(input));
    for (const Field& e : errors) {
      if (e.label != in.id) continue;
      AddRichText({Plain(e.value)}, &items, false, "Attention");
    }
  }
  actions->push_back(
      {{"type", "Action.Submit"},
       {"title", Literal(form.submit_label.empty() ? "Save" : form.submit_label)},
       {"style", "positive"},
       {"data", {{"verb", "submit"}, {"form_id", form.form_id}, {"state", form.state}}}});
  return json{{"type", "Container"}, {"items", std::move(items)}};
}

json HeaderElements(const Message& m) {
  json items = json::array();
  if (m.text.empty()) return items;
  AddRichText({Span{m.text, !m.is_error, false}}, &items, false,
              m.is_error ? "Attention" : nullptr);
  for (const Field& e : m.input_errors) {
    if (!m.form) AddRichText({Plain(e.label + ": " + e.value)}, &items, false, "Attention");
  }
  return items;
}

json Card(const Message& m, const std::vector<const Section*>& sections, bool header,
          bool with_form) {
  json body = header ? HeaderElements(m) : json::array();
  json actions = json::array();
  for (const Section* s : sections) body.push_back(SectionElements(*s));
  if (with_form && m.form) body.push_back(FormElements(*m.form, m.input_errors, &actions));
  Message shown;  // what this card shows, for its fallback text
  if (header) shown.text = m.text;
  for (const Section* s : sections) shown.sections.push_back(*s);
  if (with_form) shown.form = m.form;
  json card = {{"type", "AdaptiveCard"},
               {"$schema", kSchema},
               {"version", kVersion},
               {"body", std::move(body)},
               {"fallbackText", Literal(PlainTextFallback(shown))}};
  if (!actions.empty()) card["actions"] = std::move(actions);
  if (with_form && m.form) card["msteams"] = {{"width", "Full"}};
  return card;
}

json CardActivity(const Message& m, json card) {
  return json{
      {"type", "message"},
      {"summary", m.text},
      {"attachments",
       json::array({{{"contentType", kAdaptiveCardContentType}, {"content", std::move(card)}}})}};
}

std::string SpansText(const RichText& spans) {
  std::string out;
  for (const Span& s : spans) out += s.text;
  return out;
}

}  // namespace

std::string PlainTextFallback(const Message& m) {
  std::string out = m.text;
  auto line = [&](const std::string& s) {
    if (s.empty()) return;
    if (!out.empty()) out += "\n";
    out += s;
  };
  for (const Section& s : m.sections) {
    if (!out.empty()) out += "\n";
    line(SpansText(s.text));
    for (const Field& f : s.fields) line(f.label + ": " + f.value);
    line(s.context);
  }
  if (m.form) {
    line(m.form->title);
    for (const Input& in : m.form->inputs) line("- " + in.label);
  }
  return out;
}

std::string RenderAdaptiveCard(const Message& message) {
  std::vector<const Section*> all;
  for (const Section& s : message.sections) all.push_back(&s);
  return Dump(Card(message, all, true, true));
}

std::string RenderInvokeResponse(const Message& message) {
  std::vector<const Section*> all;
  for (const Section& s : message.sections) all.push_back(&s);
  return Dump(json{{"statusCode", 200},
                   {"type", kAdaptiveCardContentType},
                   {"value", Card(message, all, true, true)}});
}

std::vector<std::string> RenderActivities(const Message& message, const CardOptions& options) {
  std::vector<std::string> out;
  if (message.sections.empty() && !message.form && !message.is_error) {
    if (message.text.empty()) return out;
    out.push_back(Dump(json{{"type", "message"}, {"textFormat", "plain"}, {"text", message.text}}));
    return out;
  }
  // Greedy packing: as many sections per card as fit; the first card has the header, the last
  // the form.
  std::vector<const Section*> pending;
  bool first = true;
  auto emit = [&](bool with_form) {
    out.push_back(Dump(CardActivity(message, Card(message, pending, first, with_form))));
    first = false;
    pending.clear();
  };
  for (const Section& s : message.sections) {
    pending.push_back(&s);
    const std::size_t size =
        Dump(CardActivity(message, Card(message, pending, first, false))).size();
    if (size > options.max_activity_bytes && pending.size() > 1) {
      pending.pop_back();
      emit(false);
      pending.push_back(&s);
    }
  }
  emit(true);
  return out;
}

}  // namespace lessonbook::teams
