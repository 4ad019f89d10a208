// Everything a person reads of a neutral Message, flattened to one string for assertions.
#pragma once

#include <string>

#include "bot/message.h"

namespace lessonbook::testing {

inline std::string MessageText(const Message& m) {
  std::string s = m.text;
  for (const auto& sec : m.sections) {
    s += "\n";
    for (const auto& span : sec.text) s += span.text;
    for (const auto& f : sec.fields) s += "\n" + f.label + ": " + f.value;
    s += "\n" + sec.context;
    for (const auto& b : sec.buttons) s += "\n[" + b.label + "]";
  }
  return s;
}

}  // namespace lessonbook::testing
