// The engine's neutral Message rendered for Teams: Adaptive Cards 1.5 inside Bot Framework message
// activities, with plain-text fallbacks.
//
// Text goes into RichTextBlock/TextRun elements (TextRun takes no markdown, so nothing a user
// wrote is read as markup); `{{` is broken up so card templating functions never run on it.
// Buttons and forms use Action.Submit whose `data` carries a verb:
//   button: {"verb": "action", "action_id", "value"}
//   form:   {"verb": "submit", "form_id", "state"} — Teams merges the inputs' values into it.
// Forms use Input.Text (isMultiline, maxLength, placeholder) and Input.ChoiceSet (compact;
// isMultiSelect for multiple choices), with `label` and `isRequired`.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bot/message.h"

namespace lessonbook::teams {

inline constexpr const char* kAdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

struct CardOptions {
  // Default: 70 000 bytes. Each activity stays under this (Teams refuses messages over ~80 KB):
  // long result lists are split over several activities.
  std::size_t max_activity_bytes = 70000;
};

// The whole message as one Adaptive Card (JSON text, version 1.5).
std::string RenderAdaptiveCard(const Message& message);

// What a person reads of the message without the card: the text, each section's text, fields and
// context line, and the form's questions.
std::string PlainTextFallback(const Message& message);

// Message activities (JSON text) that carry the message, each under max_activity_bytes: a message
// with nothing but text is one plain-text activity; anything richer is cards, sections spread
// over as many activities as needed.
std::vector<std::string> RenderActivities(const Message& message, const CardOptions& options = {});

// The HTTP answer to an adaptiveCard/action invoke: {"statusCode": 200, "type":
// "application/vnd.microsoft.card.adaptive", "value": <card>}.
std::string RenderInvokeResponse(const Message& message);

}  // namespace lessonbook::teams
