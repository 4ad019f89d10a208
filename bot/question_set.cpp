#include "bot/question_set.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bot/text.h"

namespace lessonbook {
namespace embedded {
const std::vector<std::pair<std::string_view, std::string_view>>& Prompts();
}  // namespace embedded

namespace {

std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string placeholder = "{" + key + "}";
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

std::optional<QuestionKind> ParseKind(std::string_view k) {
  if (k == "metrics") return QuestionKind::kMetrics;
  if (k == "text") return QuestionKind::kText;
  if (k == "list") return QuestionKind::kList;
  if (k == "sections") return QuestionKind::kSections;
  if (k == "rating") return QuestionKind::kRating;
  return std::nullopt;
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > 40) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

Result<QuestionSet> ParseQuestionSet(std::string_view text, std::string_view file_name) {
  QuestionSet set;
  std::string file(file_name);
  auto fail = [&](size_t line, const std::string& what) {
    return Status::InvalidArgument(file + ":" + std::to_string(line) + ": " + what);
  };
  if (!IsValidUtf8(text)) return fail(1, "the file is not UTF-8 text");
  std::istringstream in{std::string(text)};
  std::string raw;
  size_t line_no = 0, section_line = 0;
  Question* current = nullptr;
  auto finish = [&](size_t line) -> Status {
    if (current == nullptr) return Status::Ok();
    if (current->ask.empty()) return fail(line, "question [" + current->id + "] has no ask = …");
    if ((current->kind == QuestionKind::kText || current->kind == QuestionKind::kList) &&
        !current->outcome) {
      return fail(line, "question [" + current->id + "] needs outcome = worked, flopped, change "
                        "or insight: its answers become lessons");
    }
    return Status::Ok();
  };
  bool has_kind = false;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return fail(line_no, "a section line looks like [question-id]");
      if (current && !has_kind) return fail(section_line, "question [" + current->id + "] has no kind = …");
      if (Status s = finish(line_no); !s.ok()) return s;
      std::string id = Trim(line.substr(1, line.size() - 2));
      if (!ValidId(id)) {
        return fail(line_no, "\"" + id + "\" is not a question id: use lower-case letters, "
                             "digits, '-' and '_'");
      }
      for (const auto& q : set.questions) {
        if (q.id == id) return fail(line_no, "question [" + id + "] appears twice");
      }
      set.questions.push_back(Question{id, QuestionKind::kText, "", std::nullopt, false});
      current = &set.questions.back();
      section_line = line_no;
      has_kind = false;
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string::npos) return fail(line_no, "expected key = value, got \"" + Ellipsize(line, 40) + "\"");
    std::string key = AsciiLower(Trim(line.substr(0, eq)));
    std::string value = Trim(line.substr(eq + 1));
    if (current == nullptr) {
      if (key == "id") {
        if (!ValidId(value)) return fail(line_no, "id must be lower-case letters, digits, '-' or '_'");
        set.id = value;
      } else if (key == "version") {
        int v = 0;
        for (char c : value) {
          if (c < '0' || c > '9' || v > 100000) return fail(line_no, "version must be a whole number");
          v = v * 10 + (c - '0');
        }
        if (value.empty() || v < 1) return fail(line_no, "version must be a whole number from 1");
        set.version = v;
      } else if (key == "title") {
        set.title = value;
      } else {
        return fail(line_no, "unknown header key \"" + key + "\" (id, version, title)");
      }
      continue;
    }
    if (key == "kind") {
      auto kind = ParseKind(value);
      if (!kind) return fail(line_no, "kind must be metrics, text, list, sections or rating");
      current->kind = *kind;
      has_kind = true;
    } else if (key == "ask") {
      if (value.empty()) return fail(line_no, "ask needs the question's words");
      current->ask = value;
    } else if (key == "outcome") {
      auto o = ParseOutcome(value);
      if (!o) return fail(line_no, "outcome must be worked, flopped, change or insight");
      current->outcome = *o;
    } else if (key == "optional") {
      if (value != "yes" && value != "no") return fail(line_no, "optional must be yes or no");
      current->optional = value == "yes";
    } else {
      return fail(line_no, "unknown key \"" + key + "\" (kind, ask, outcome, optional)");
    }
  }
  if (current && !has_kind) return fail(section_line, "question [" + current->id + "] has no kind = …");
  if (Status s = finish(line_no); !s.ok()) return s;
  if (set.id.empty()) return fail(1, "the file needs id = <name> before the first question");
  if (set.questions.empty()) return fail(line_no, "the set has no [question] sections");
  return set;
}

Result<std::map<std::string, QuestionSet>> LoadQuestionSets(const std::string& dir) {
  std::map<std::string, QuestionSet> sets;
  for (const auto& [name, text] : embedded::Prompts()) {
    if (name.find("/postmortem.") == std::string_view::npos) continue;
    auto set = ParseQuestionSet(text, name);
    if (!set.ok()) return set.status();
    sets[set->id] = *set;
  }
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return sets;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("postmortem.", 0) == 0 && entry.path().extension() == ".ini") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto set = ParseQuestionSet(text.str(), path.string());
    if (!set.ok()) return set.status();
    sets[set->id] = *set;
  }
  return sets;
}

std::vector<Step> StepsFor(const QuestionSet& set, const Campaign& c) {
  std::map<std::string, std::string> values = {
      {"campaign", c.name},
      {"goals", c.goals.empty() ? "(no goals were written down)" : c.goals},
      {"learning_goals", c.learning_goals.empty() ? "(none were written down)" : c.learning_goals}};
  std::vector<Step> steps;
  for (const auto& q : set.questions) {
    if (q.kind == QuestionKind::kMetrics) {
      for (const auto& m : c.metrics) {
        auto v = values;
        v["metric"] = m.name;
        v["target"] = m.target.empty() ? "not set" : m.target;
        steps.push_back(Step{"metric:" + m.name, &q, Fill(q.ask, v), m.target});
      }
      continue;
    }
    steps.push_back(Step{q.id, &q, Fill(q.ask, values), ""});
  }
  return steps;
}

}  // namespace lessonbook
