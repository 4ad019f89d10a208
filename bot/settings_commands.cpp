#include "bot/settings_commands.h"

#include <algorithm>

#include "bot/digest.h"
#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/people.h"
#include "bot/postmortem.h"
#include "bot/replies.h"
#include "bot/sections.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

Message Info(std::string text) {
  Message m;
  m.text = std::move(text);
  return m;
}

std::string Admins(const Workspace& ws) {
  std::string out;
  for (const auto& a : ws.admins) out += (out.empty() ? "" : ", ") + AuthorLabel(a);
  return out.empty() ? "none yet" : out;
}

Message Show(Store& store, const QuestionSets& sets, const Workspace& ws) {
  Message m = Info("Settings of this workspace:");
  const QuestionSet* set = QuestionSetFor(store, sets, ws.id);
  auto quiet = store.GetSetting(ws.id, kQuietDigestSetting);
  std::string available;
  for (const auto& [id, _] : sets) available += (available.empty() ? "" : ", ") + id;
  Section s;
  s.fields = {{"timezone", ws.timezone},
              {"questions", (set ? set->id + " (version " + std::to_string(set->version) + ")" : "none") +
                                "; available: " + available},
              {"quiet-digest", quiet.ok() && quiet->value_or("line") == "skip"
                                   ? "off (a quiet week sends nothing)"
                                   : "on (a quiet week sends one line)"},
              {"admins", Admins(ws)},
              {"sections", SectionListText(WorkspaceSections(store, ws.id))}};
  s.context = "Change one: settings timezone Europe/Berlin · settings questions default · "
              "settings quiet-digest on|off · settings admins add @ana · settings admins remove @ana · "
              "settings sections seo=\"SEO and keyphrases\", email=Email · settings sections default";
  m.sections.push_back(std::move(s));
  return m;
}

Message ShowSections(Store& store, const Workspace& ws) {
  auto stored = store.GetSetting(ws.id, kSectionsSetting);
  bool custom = stored.ok() && stored->has_value() && !Trim(**stored).empty();
  Message m = Info(std::string("The Book's chapters") + (custom ? "" : " (the default list)") +
                   ", in order: " + SectionListText(WorkspaceSections(store, ws.id)));
  Section s;
  s.context = "Admins change them with settings sections tag=title, … (the whole list, e.g. "
              "settings sections seo=\"SEO and keyphrases\", email=Email) or settings sections default";
  m.sections.push_back(std::move(s));
  return m;
}

Message ChangeSections(Store& store, const Workspace& ws, const SettingsCommand& c) {
  if (AsciiLower(c.rest) == "default") {
    if (!store.SetSetting(ws.id, kSectionsSetting, "").ok()) {
      return ErrorReply("Could not save; please try again.");
    }
    LogInfo("settings.sections", {{"ws", std::to_string(ws.id)}, {"list", "default"}});
    return Info("The Book's chapters are the default list again: " +
                SectionListText(DefaultSections()));
  }
  auto parsed = ParseSectionList(c.rest);
  if (!parsed.ok()) {
    LogInfo("settings.sections_refused", {{"ws", std::to_string(ws.id)},
                                          {"error", parsed.status().message()}});
    return ErrorReply(parsed.status().message());
  }
  std::string text = SectionListText(*parsed);
  if (!store.SetSetting(ws.id, kSectionsSetting, text).ok()) {
    return ErrorReply("Could not save; please try again.");
  }
  LogInfo("settings.sections", {{"ws", std::to_string(ws.id)},
                                {"count", std::to_string(parsed->size())}});
  return Info("The Book's chapters are now, in order: " + text +
              ". Lessons with none of these tags go to \"Other lessons\".");
}

}  // namespace

Message RunSettingsCommand(Store& store, const QuestionSets& sets, const Inbound& in,
                           const Workspace& ws, const SettingsCommand& c) {
  bool admin = std::find(ws.admins.begin(), ws.admins.end(), in.user_id) != ws.admins.end();
  if (c.what.empty()) return Show(store, sets, ws);
  if (c.what == "sections" && c.rest.empty()) return ShowSections(store, ws);
  if (!admin && !ws.admins.empty()) {
    return ErrorReply("Only admins can change settings (admins: " + Admins(ws) + ").");
  }
  Workspace w = ws;
  if (c.what == "timezone") {
    if (c.args.size() != 1 || !IsKnownTimezone(c.args[0])) {
      return ErrorReply("settings timezone takes an IANA timezone such as Europe/Berlin, "
                        "America/New_York or UTC");
    }
    w.timezone = c.args[0];
    if (!store.UpdateWorkspace(w).ok()) return ErrorReply("Could not save; please try again.");
    return Info("The workspace's timezone is now " + w.timezone + ".");
  }
  if (c.what == "questions") {
    if (c.args.size() != 1 || !sets.count(c.args[0])) {
      std::string available;
      for (const auto& [id, _] : sets) available += (available.empty() ? "" : ", ") + id;
      return ErrorReply("settings questions takes the id of a question set: " + available);
    }
    if (!store.SetSetting(ws.id, "questions", c.args[0]).ok()) return ErrorReply("Could not save; please try again.");
    return Info("New post-mortems use the question set \"" + c.args[0] + "\".");
  }
  if (c.what == "quiet-digest") {
    std::string v = c.args.size() == 1 ? AsciiLower(c.args[0]) : "";
    if (v != "on" && v != "off") {
      return ErrorReply("settings quiet-digest on (a quiet week sends one line) or off (sends nothing)");
    }
    if (!store.SetSetting(ws.id, kQuietDigestSetting, v == "on" ? "line" : "skip").ok()) {
      return ErrorReply("Could not save; please try again.");
    }
    return Info(v == "on" ? "A quiet week's digest now says so in one line."
                          : "A quiet week now sends no digest.");
  }
  if (c.what == "sections") return ChangeSections(store, ws, c);
  if (c.what == "admins") {
    if (c.args.empty()) return Info("Admins: " + Admins(ws) + ".");
    std::string verb = AsciiLower(c.args[0]);
    if ((verb != "add" && verb != "remove") || c.args.size() != 2) {
      return ErrorReply("settings admins add @ana or settings admins remove @ana");
    }
    std::string who = UserIdFromMention(c.args[1], in.platform);
    if (who.empty()) return ErrorReply("settings admins " + verb + " takes a person, e.g. @ana");
    auto it = std::find(w.admins.begin(), w.admins.end(), who);
    if (verb == "add") {
      if (it != w.admins.end()) return Info(AuthorLabel(who) + " is an admin already.");
      w.admins.push_back(who);
    } else {
      if (it == w.admins.end()) return ErrorReply(AuthorLabel(who) + " is not an admin.");
      if (w.admins.size() == 1) return ErrorReply("That is the last admin; add another one first.");
      w.admins.erase(it);
    }
    if (!store.UpdateWorkspace(w).ok()) return ErrorReply("Could not save; please try again.");
    return Info("Admins: " + Admins(w) + ".");
  }
  return ErrorReply("\"" + Ellipsize(c.what, 30) + "\" is not a setting; use timezone, questions, "
                    "quiet-digest, admins or sections");
}

}  // namespace lessonbook
