#include "bot/message_codec.h"

#include <nlohmann/json.hpp>

namespace lessonbook {
namespace {

using nlohmann::json;

json SpansToJson(const RichText& spans) {
  json a = json::array();
  for (const auto& s : spans) a.push_back({{"t", s.text}, {"b", s.strong}, {"h", s.highlight}});
  return a;
}

RichText SpansFromJson(const json& a) {
  RichText out;
  for (const auto& s : a) {
    out.push_back(Span{s.at("t").get<std::string>(), s.value("b", false), s.value("h", false)});
  }
  return out;
}

json FieldsToJson(const std::vector<Field>& fields) {
  json a = json::array();
  for (const auto& f : fields) a.push_back({{"label", f.label}, {"value", f.value}});
  return a;
}

std::vector<Field> FieldsFromJson(const json& a) {
  std::vector<Field> out;
  for (const auto& f : a) out.push_back({f.at("label").get<std::string>(), f.at("value").get<std::string>()});
  return out;
}

}  // namespace

std::string EncodeMessage(const Message& m) {
  json j;
  j["v"] = 1;
  j["text"] = m.text;
  j["visibility"] = m.visibility == Visibility::kChannel ? "channel" : "private";
  j["is_error"] = m.is_error;
  json sections = json::array();
  for (const auto& s : m.sections) {
    json buttons = json::array();
    for (const auto& b : s.buttons) {
      buttons.push_back({{"label", b.label}, {"action_id", b.action_id}, {"value", b.value},
                         {"style", static_cast<int>(b.style)}});
    }
    sections.push_back({{"text", SpansToJson(s.text)},
                        {"fields", FieldsToJson(s.fields)},
                        {"context", s.context},
                        {"buttons", buttons}});
  }
  j["sections"] = sections;
  if (m.form) {
    json inputs = json::array();
    for (const auto& in : m.form->inputs) {
      json choices = json::array();
      for (const auto& c : in.choices) choices.push_back({{"value", c.value}, {"label", c.label}});
      inputs.push_back({{"id", in.id}, {"label", in.label}, {"kind", static_cast<int>(in.kind)},
                        {"choices", choices}, {"initial", in.initial},
                        {"placeholder", in.placeholder}, {"required", in.required},
                        {"max_length", in.max_length}});
    }
    j["form"] = {{"form_id", m.form->form_id}, {"title", m.form->title},
                 {"submit_label", m.form->submit_label}, {"inputs", inputs},
                 {"state", m.form->state}};
  }
  j["input_errors"] = FieldsToJson(m.input_errors);
  // Invalid UTF-8 never reaches here (the engine checks input), but never throw on it either.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Message> DecodeMessage(std::string_view encoded) {
  try {
    json j = json::parse(encoded);
    Message m;
    m.text = j.at("text").get<std::string>();
    m.visibility = j.value("visibility", "private") == "channel" ? Visibility::kChannel
                                                                 : Visibility::kPrivate;
    m.is_error = j.value("is_error", false);
    for (const auto& s : j.at("sections")) {
      Section sec;
      sec.text = SpansFromJson(s.at("text"));
      sec.fields = FieldsFromJson(s.at("fields"));
      sec.context = s.value("context", "");
      for (const auto& b : s.at("buttons")) {
        sec.buttons.push_back(Button{b.at("label").get<std::string>(),
                                     b.at("action_id").get<std::string>(),
                                     b.at("value").get<std::string>(),
                                     static_cast<ButtonStyle>(b.value("style", 0))});
      }
      m.sections.push_back(std::move(sec));
    }
    if (j.contains("form")) {
      const json& f = j["form"];
      Form form;
      form.form_id = f.at("form_id").get<std::string>();
      form.title = f.at("title").get<std::string>();
      form.submit_label = f.at("submit_label").get<std::string>();
      form.state = f.value("state", "");
      for (const auto& in : f.at("inputs")) {
        Input input;
        input.id = in.at("id").get<std::string>();
        input.label = in.at("label").get<std::string>();
        input.kind = static_cast<InputKind>(in.value("kind", 0));
        for (const auto& c : in.at("choices")) {
          input.choices.push_back({c.at("value").get<std::string>(), c.at("label").get<std::string>()});
        }
        input.initial = in.value("initial", "");
        input.placeholder = in.value("placeholder", "");
        input.required = in.value("required", true);
        input.max_length = in.value("max_length", 0);
        form.inputs.push_back(std::move(input));
      }
      m.form = std::move(form);
    }
    if (j.contains("input_errors")) m.input_errors = FieldsFromJson(j["input_errors"]);
    return m;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("not an encoded message: ") + e.what());
  }
}

}  // namespace lessonbook
