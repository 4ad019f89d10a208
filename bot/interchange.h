// The lesson interchange format of DESIGN.md (the public contract for import and export):
// JSONL, one object a line, and CSV with the same columns (tags joined by ';'); plus the
// Markdown book export. Parsers never throw: a bad line is an InvalidArgument naming the line.
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "bot/domain.h"
#include "bot/sections.h"
#include "bot/status.h"

namespace lessonbook {

// A lesson as read from a file, with the workspace it names (Slack team id or Teams tenant id;
// empty: the default workspace).
struct InterchangeLesson {
  Lesson lesson;  // workspace_id unset; id 0 when the line had none
  std::string workspace;
};

// The CSV columns, in order.
const std::vector<std::string>& InterchangeColumns();

std::string ToJsonLine(const Lesson& lesson, std::string_view workspace);
// `now` fills created_at when the line has none.
Result<InterchangeLesson> FromJsonLine(std::string_view line, Time now);

std::string CsvHeaderLine();
std::string ToCsvLine(const Lesson& lesson, std::string_view workspace);

// Reads a whole JSONL or CSV stream; errors name the line ("line 12: outcome must be …").
Result<std::vector<InterchangeLesson>> ReadJsonl(std::istream& in, Time now);
Result<std::vector<InterchangeLesson>> ReadCsv(std::istream& in, Time now);

// The Markdown book: a chapter per section (in `sections` order) holding the lessons tagged with
// it, then "Other lessons". Dates are shown in `timezone`.
void WriteMarkdownBook(std::ostream& out, const std::vector<Lesson>& lessons,
                       const std::vector<BookSection>& sections, std::string_view timezone);

}  // namespace lessonbook
