// Post-mortem question sets: data files people edit without recompiling
// (prompts/postmortem.<id>.ini), validated with errors that name the file and the line, and
// expanded into the steps one campaign's post-mortem asks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

enum class QuestionKind { kMetrics, kText, kList, kSections, kRating };

struct Question {
  std::string id;
  QuestionKind kind = QuestionKind::kText;
  std::string ask;
  std::optional<Outcome> outcome;  // text and list questions: answers become lessons
  bool optional = false;
};

struct QuestionSet {
  std::string id;
  int version = 1;
  std::string title = "Post-mortem";
  std::vector<Question> questions;
};

// The loaded sets by id.
using QuestionSets = std::map<std::string, QuestionSet>;

// One question as one campaign asks it ("metrics" becomes one step per metric).
struct Step {
  std::string answer_id;  // "learned", "metric:mqls"
  const Question* question = nullptr;
  std::string text;       // the question with the campaign's words filled in
  std::string prefill;    // metrics: the target
};

// Parses one file's text. InvalidArgument "<file>:<line>: <what is wrong>".
Result<QuestionSet> ParseQuestionSet(std::string_view text, std::string_view file_name);

// The built-in sets (prompts/ compiled in) overlaid by the files prompts/postmortem.*.ini in
// `dir` (when it exists). The first error stops: a broken file must be fixed, not ignored.
Result<std::map<std::string, QuestionSet>> LoadQuestionSets(const std::string& dir);

// The steps of the set for the campaign, in order.
std::vector<Step> StepsFor(const QuestionSet& set, const Campaign& campaign);

}  // namespace lessonbook
