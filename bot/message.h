// Message: what the engine says, platform-neutral. Each adapter renders it (Slack Block Kit,
// Teams Adaptive Cards, the web chat's JSON) and escapes every string for its own format: text
// here is plain text, never markup.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lessonbook {

// A run of text; `strong` runs are emphasised (bold), `highlight` runs are search matches.
struct Span {
  std::string text;
  bool strong = false;
  bool highlight = false;
};
using RichText = std::vector<Span>;

inline Span Plain(std::string t) { return Span{std::move(t), false, false}; }
inline Span Strong(std::string t) { return Span{std::move(t), true, false}; }

struct Field {
  std::string label;
  std::string value;
};

enum class ButtonStyle { kDefault, kPrimary, kDanger };

// A button: pressing it comes back to the engine as an Action{action_id, value}. An action_id
// ending in "_form" answers with a form, which adapters open at once (a Slack modal needs the
// button's short-lived trigger_id).
struct Button {
  std::string label;
  std::string action_id;
  std::string value;
  ButtonStyle style = ButtonStyle::kDefault;
};

// One block: a lesson, a paragraph of help, a result summary.
struct Section {
  RichText text;
  std::vector<Field> fields;  // short label/value pairs
  std::string context;        // a small grey line under the text (outcome · tags · author · date)
  std::vector<Button> buttons;
};

enum class InputKind { kText, kMultilineText, kChoice, kMultiChoice };

struct Choice {
  std::string value;
  std::string label;
};

struct Input {
  std::string id;
  std::string label;
  InputKind kind = InputKind::kText;
  std::vector<Choice> choices;       // for kChoice and kMultiChoice
  std::string initial;               // initial value (comma-separated values for kMultiChoice)
  std::string placeholder;
  bool required = true;
  int max_length = 0;                // 0: no limit beyond the platform's
};

// A form of questions (a Slack modal, a Teams card, an HTML form). Submitting it comes back to
// the engine as FormSubmit{form_id, values}.
struct Form {
  std::string form_id;
  std::string title;
  std::string submit_label = "Save";
  std::vector<Input> inputs;
  std::string state;  // opaque engine state carried through the platform (e.g. ids)
};

enum class Visibility {
  kPrivate,  // only the person who asked sees it (ephemeral in Slack, 1:1 chat in Teams)
  kChannel,  // everyone in the conversation sees it
};

struct Message {
  std::string text;  // the summary line; also the notification / fallback text
  std::vector<Section> sections;
  std::optional<Form> form;
  Visibility visibility = Visibility::kPrivate;
  bool is_error = false;  // the text explains what was wrong and how to fix it
  // For a rejected form submission: input id -> what is wrong with it, shown on the field.
  std::vector<Field> input_errors;
};

// The engine's immediate answer to an Inbound. An empty message means "nothing to say".
struct Reply {
  std::optional<Message> message;
};

}  // namespace lessonbook
