// The command grammar of DESIGN.md, parsed from what a person typed after /lessons (or to the
// bot): help, add, edit, delete and search (the default verb). Pure functions, no I/O.
// Errors say what was wrong and the right form, e.g. "outcome must be one of worked, flopped,
// change, insight — e.g. outcome:flopped".
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/domain.h"
#include "bot/status.h"

namespace lessonbook {

struct HelpCommand {
  std::string topic;  // a verb, or empty for the overview
};

// add <lesson> [#tag…] [outcome:…] [campaign:"…"]; an empty text asks for the form.
struct AddCommand {
  std::string text;
  std::vector<std::string> tags;
  std::optional<Outcome> outcome;
  std::string campaign;
};

// edit <id> [new text] [#tag…] [outcome:…] [campaign:"…"]; only what is given changes.
struct EditCommand {
  LessonId id = 0;
  std::string text;
  std::optional<std::vector<std::string>> tags;
  std::optional<Outcome> outcome;
  std::optional<std::string> campaign;
};

struct DeleteCommand {
  LessonId id = 0;
};

// search <words> [tag:x] [outcome:y] [campaign:"…"] [by:@user] [since:YYYY-MM-DD] [sort:…]
struct SearchCommand {
  std::vector<std::string> words;
  std::vector<std::string> tags;
  std::optional<Outcome> outcome;
  std::string campaign;
  std::string by;     // as typed: "<@U123>", "<@U123|ana>", "@ana" or "ana"
  std::string since;  // YYYY-MM-DD, validated as a calendar date
  SearchSort sort = SearchSort::kRelevance;
  bool HasFilters() const {
    return !tags.empty() || outcome || !campaign.empty() || !by.empty() || !since.empty();
  }
};

// digest subscribe [weekday] [HH:MM] [Area/City] | unsubscribe | preview | list
struct DigestCommand {
  enum class Action { kSubscribe, kUnsubscribe, kPreview, kList };
  Action action = Action::kList;
  int weekday = 0;            // 0: not given (Monday)
  int minute_of_day = -1;     // -1: not given (09:00)
  std::string timezone;       // empty: the workspace's
};

// campaign new|list|show|end|edit ["name"] [ends:…] [channel:…] [owner:…] [with:…] [goal:"…"]
// [learn:"…"] [metric:name=target…]
struct CampaignCommand {
  enum class Action { kNew, kList, kShow, kEnd, kEdit };
  Action action = Action::kList;
  std::string name;
  std::map<std::string, std::string> options;  // ends, starts, channel, owner, goal, learn
  std::vector<std::string> with;               // mentions, as typed
  std::vector<std::pair<std::string, std::string>> metrics;  // name, target
  bool with_given = false;
};

// postmortem ["campaign name"]: the form with your answers, to answer or edit them.
struct PostmortemCommand {
  std::string campaign;
};

// settings [timezone Area/City | questions <set> | quiet-digest on|off | admins [add|remove @x] |
//           sections [default | tag=title, …]]
struct SettingsCommand {
  std::string what;   // "", "timezone", "questions", "quiet-digest", "admins", "sections"
  std::vector<std::string> args;
  std::string rest;   // the text after `what` as typed, quotes kept (for "sections")
};

// book: a personal, signed link to the workspace's Book of Learning page.
struct BookCommand {};

// export md|csv|jsonl [search words and filters]: a signed link to the file.
struct ExportCommand {
  std::string format;      // "md", "csv" or "jsonl"
  SearchCommand search;    // what to export (empty: everything, admins only)
  std::string filter;      // the words and filters as typed, carried in the signed link
};

// A verb of DESIGN.md that this version does not have yet.
struct UnavailableCommand {
  std::string verb;
};

using Command = std::variant<HelpCommand, AddCommand, EditCommand, DeleteCommand, SearchCommand,
                             DigestCommand, CampaignCommand, PostmortemCommand, SettingsCommand,
                             BookCommand, ExportCommand, UnavailableCommand>;

struct ParsedCommand {
  Command command;
  bool share = false;  // "--share": answer in the channel, not only to the asker
};

Result<ParsedCommand> ParseCommand(std::string_view text);

// Splits text into words, keeping "quoted phrases" (straight or curly quotes) together.
std::vector<std::string> SplitCommandWords(std::string_view text);

// Validates a tag ("#Email" -> "email"); InvalidArgument naming the right form.
Result<std::string> NormalizeTag(std::string_view tag);

// The lesson id in "42" or "#42"; InvalidArgument otherwise.
Result<LessonId> ParseLessonId(std::string_view word, std::string_view verb);

}  // namespace lessonbook
