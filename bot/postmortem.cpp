#include "bot/postmortem.h"

#include <algorithm>
#include <map>

#include "bot/command_parser.h"
#include "bot/lesson_text.h"
#include "bot/local_time.h"
#include "bot/living_lessons.h"
#include "bot/log.h"
#include "bot/message_codec.h"
#include "bot/outbox.h"
#include "bot/replies.h"
#include "bot/sections.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

std::string Quote(std::string_view name) { return "“" + std::string(name) + "”"; }

OutboxMessage Outgoing(const Campaign& c, std::string target, const Message& m, std::string key,
                       Time now) {
  OutboxMessage o;
  o.workspace_id = c.workspace_id;
  o.platform = c.platform;
  o.target = std::move(target);
  o.message = EncodeMessage(m);
  o.dedupe_key = std::move(key);
  o.next_attempt_at = now;
  o.created_at = now;
  return o;
}

std::string PersonTimezone(Store& store, WorkspaceId ws, const std::string& fallback,
                           std::string_view user) {
  auto tz = store.GetPersonTimezone(ws, user);
  if (tz.ok() && *tz && !(*tz)->empty()) return **tz;
  return fallback;
}

std::map<std::string, std::string> AnswerMap(const std::vector<Answer>& answers) {
  std::map<std::string, std::string> m;
  for (const auto& a : answers) m[a.question_id] = a.value;
  return m;
}

// The question as a message: "Question 2 of 7 — …" with how to move on.
Message QuestionMessage(const Campaign& c, const std::vector<Step>& steps, int index,
                        const std::string& current_answer, std::string intro) {
  Message m;
  const Step& step = steps[static_cast<size_t>(index)];
  m.text = std::move(intro);
  if (!m.text.empty()) m.text += " ";
  m.text += "Question " + std::to_string(index + 1) + " of " + std::to_string(steps.size()) +
            ": " + step.text;
  Section s;
  s.text.push_back(Strong(step.text));
  if (!current_answer.empty()) {
    s.text.push_back(Plain("\nYour answer so far: " + Ellipsize(current_answer, 500) +
                           " — type a new one, or skip to keep it."));
  } else if (!step.prefill.empty()) {
    s.text.push_back(Plain("\nTarget: " + step.prefill));
  }
  s.context = Quote(c.name) + " · answer here, or type skip, back, later (ask me tomorrow) or "
              "stop · question " + std::to_string(index + 1) + " of " + std::to_string(steps.size());
  s.buttons.push_back(Button{"Answer in a form", kPostmortemFormAction, std::to_string(c.id)});
  m.sections.push_back(std::move(s));
  return m;
}

// Each line of a list answer is one item: bullets and numbers are dropped.
std::vector<std::string> Items(std::string_view answer) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= answer.size()) {
    size_t nl = answer.find('\n', pos);
    std::string line = Trim(answer.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos));
    while (!line.empty() && (line[0] == '-' || line[0] == '*' || (line[0] >= '0' && line[0] <= '9') ||
                             line[0] == '.' || line[0] == ')' || line[0] == ' ')) {
      line.erase(0, 1);
    }
    if (line.rfind("•", 0) == 0) line = Trim(line.substr(std::string("•").size()));
    if (!line.empty()) out.push_back(line);
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::vector<std::string> SectionTags(std::string_view answer) {
  std::vector<std::string> tags;
  std::string piece;
  for (char c : std::string(answer) + ",") {
    if (c == ',' || c == ' ' || c == '\n' || c == ';') {
      auto tag = NormalizeTag(piece);
      if (!piece.empty() && tag.ok() &&
          std::find(tags.begin(), tags.end(), *tag) == tags.end()) {
        tags.push_back(*tag);
      }
      piece.clear();
    } else {
      piece += c;
    }
  }
  return tags;
}

std::string MetricResults(const Campaign& c, const std::map<std::string, std::string>& answers) {
  std::string out;
  for (const auto& m : c.metrics) {
    auto it = answers.find("metric:" + m.name);
    if (it == answers.end() || it->second.empty()) continue;
    out += (out.empty() ? "Results: " : ", ") + m.name + " " + it->second +
           (m.target.empty() ? "" : " (target " + m.target + ")");
  }
  return out;
}

// The lessons one person's answers make, each with its stable request key.
std::vector<std::pair<Lesson, std::string>> LessonsFromAnswers(
    const Campaign& c, const Postmortem& pm, const QuestionSet& set,
    const std::vector<Step>& steps, const std::string& user,
    const std::map<std::string, std::string>& answers, Time now) {
  std::vector<std::string> tags;
  for (const auto& s : steps) {
    if (s.question->kind != QuestionKind::kSections) continue;
    auto it = answers.find(s.answer_id);
    if (it != answers.end()) tags = SectionTags(it->second);
  }
  std::string results = MetricResults(c, answers);
  std::string prefix = "pm:" + std::to_string(pm.id) + ":" + user + ":";
  std::vector<std::pair<Lesson, std::string>> out;
  for (const auto& q : set.questions) {
    if (!q.outcome || (q.kind != QuestionKind::kText && q.kind != QuestionKind::kList)) continue;
    auto it = answers.find(q.id);
    if (it == answers.end() || Trim(it->second).empty()) continue;
    std::vector<std::string> items =
        q.kind == QuestionKind::kList ? Items(it->second) : std::vector<std::string>{Trim(it->second)};
    int n = 0;
    for (const auto& item : items) {
      Lesson l;
      l.workspace_id = c.workspace_id;
      auto tb = SplitTitleBody(item);
      l.title = tb.title;
      l.body = tb.body;
      if (!results.empty()) l.body += (l.body.empty() ? "" : "\n\n") + results;
      l.outcome = *q.outcome;
      l.tags = tags;
      l.campaign = c.name;
      l.author = user;
      l.source = LessonSource::kPostmortem;
      l.created_at = l.updated_at = now;
      out.emplace_back(std::move(l), prefix + q.id + ":" + std::to_string(++n));
    }
  }
  return out;
}

struct Loaded {
  Campaign campaign;
  Postmortem pm;
  const QuestionSet* set = nullptr;
  std::vector<Step> steps;
};

Result<Loaded> Load(Store& store, const QuestionSets& sets, WorkspaceId ws, std::int64_t pm_id) {
  Loaded l;
  auto pm = store.GetPostmortem(ws, pm_id);
  if (!pm.ok()) return pm.status();
  l.pm = *pm;
  auto c = store.GetCampaign(ws, pm->campaign_id);
  if (!c.ok()) return c.status();
  l.campaign = *c;
  auto it = sets.find(pm->question_set);
  if (it == sets.end()) it = sets.find("default");
  if (it == sets.end()) return Status::Internal("no question set");
  l.set = &it->second;
  l.steps = StepsFor(*l.set, l.campaign);
  return l;
}

Result<std::vector<Lesson>> Regenerate(Store& store, const Loaded& l, const std::string& user,
                                       Time now) {
  auto answers = store.ListAnswers(l.pm.id, user);
  if (!answers.ok()) return answers.status();
  auto lessons = LessonsFromAnswers(l.campaign, l.pm, *l.set, l.steps, user, AnswerMap(*answers), now);
  return store.ReplaceKeyedLessons(l.campaign.workspace_id,
                                   "pm:" + std::to_string(l.pm.id) + ":" + user + ":", lessons);
}

// Living lessons: the person's post-mortem lessons that resemble older ones are offered to them
// in one DM per post-mortem (the dedupe key), not one per lesson or per edit.
void OfferEvidence(Store& store, const Inbound& in, const Workspace& ws, const Loaded& l,
                   const std::vector<Lesson>& lessons, Time now) {
  if (lessons.empty()) return;
  std::optional<Message> offer =
      EvidenceOffer(store, lessons, PersonTimezone(store, ws.id, ws.timezone, in.user_id));
  if (!offer) return;
  offer->text = "Lessons like the ones you wrote for " + Quote(l.campaign.name) +
                " are already in the Book: do yours confirm or contradict them?";
  auto id = EnqueueMessage(store, now, ws.id, in.platform, DmTarget(in.user_id), *offer,
                           "evidence-offer:pm:" + std::to_string(l.pm.id) + ":" + in.user_id);
  if (!id.ok()) LogWarn("living.offer_not_queued", {{"error", id.status().ToString()}});
}

Message Thanks(const Loaded& l, const std::vector<Lesson>& lessons, std::string_view timezone) {
  Message m;
  m.text = "Thank you! Your post-mortem of " + Quote(l.campaign.name) + " is complete";
  if (lessons.empty()) {
    m.text += ". No lessons came out of it this time.";
  } else {
    m.text += ": " + std::to_string(lessons.size()) +
              (lessons.size() == 1 ? " lesson is" : " lessons are") + " in the Book now.";
    for (size_t i = 0; i < lessons.size() && i < 10; ++i) {
      m.sections.push_back(LessonSection(lessons[i], timezone, nullptr));
    }
  }
  Section s;
  s.context = "You can change any answer until " + FormatLocalDate(l.pm.deadline_at, timezone) +
              ": type postmortem " + l.campaign.name;
  s.buttons.push_back(Button{"Edit my answers", kPostmortemFormAction, std::to_string(l.campaign.id)});
  m.sections.push_back(std::move(s));
  return m;
}

Message Summary(Store& store, const Loaded& l, const std::vector<PromptSession>& sessions,
                const std::vector<Answer>& answers, const PostmortemOptions& options) {
  const Campaign& c = l.campaign;
  int answered = 0;
  std::map<std::string, std::vector<const Answer*>> by_user;
  for (const auto& a : answers) by_user[a.user_id].push_back(&a);
  for (const auto& s : sessions) {
    if (s.state == PromptState::kDone || !by_user[s.user_id].empty()) ++answered;
  }
  Message m;
  m.visibility = Visibility::kChannel;
  m.text = "The post-mortem of " + Quote(c.name) + " is closed: " + std::to_string(answered) +
           " of " + std::to_string(sessions.size()) + " people answered.";
  if (!c.metrics.empty()) {
    Section s;
    s.text.push_back(Strong("Goals vs results"));
    for (const auto& metric : c.metrics) {
      // The owner's answer counts; else the latest anyone gave.
      std::string actual;
      Time latest{};
      for (const auto& a : answers) {
        if (a.question_id != "metric:" + metric.name || Trim(a.value).empty()) continue;
        if (a.user_id == c.owner) {
          actual = a.value;
          break;
        }
        if (a.updated_at >= latest) {
          actual = a.value;
          latest = a.updated_at;
        }
      }
      s.text.push_back(Plain("\n• " + metric.name + ": " + (actual.empty() ? "not reported" : actual) +
                             (metric.target.empty() ? "" : " (target " + metric.target + ")")));
    }
    m.sections.push_back(std::move(s));
  }
  if (!c.learning_goals.empty()) {
    int n = 0;
    for (const auto& a : answers) {
      if (a.question_id == "learned" && !Trim(a.value).empty()) ++n;
    }
    Section s;
    s.text.push_back(Strong("Learning goal: "));
    s.text.push_back(Plain(Quote(c.learning_goals) + (n > 0 ? " — answered by " + std::to_string(n) +
                                                                   (n == 1 ? " person" : " people")
                                                             : " — nobody answered it")));
    m.sections.push_back(std::move(s));
  }
  LessonQuery q;
  q.workspace_id = c.workspace_id;
  q.campaign = c.name;
  q.limit = 50;
  q.sort = SearchSort::kNewest;
  auto page = store.SearchLessons(q);
  if (page.ok() && !page->hits.empty()) {
    for (Outcome o : {Outcome::kWorked, Outcome::kFlopped, Outcome::kChange, Outcome::kInsight}) {
      Section s;
      int shown = 0;
      for (const auto& hit : page->hits) {
        if (hit.lesson.outcome != o || hit.lesson.campaign != c.name || shown == 3) continue;
        if (shown++ == 0) s.text.push_back(Strong(std::string("Top lessons — ") + OutcomeName(o)));
        s.text.push_back(Plain("\n• #" + std::to_string(hit.lesson.id) + " " + Ellipsize(hit.lesson.title, 140)));
      }
      if (shown > 0) m.sections.push_back(std::move(s));
    }
  }
  if (!options.public_url.empty()) {
    std::string url = options.public_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    Section s;
    s.context = "In the Book of Learning: " + url + "/book/campaign?id=" + std::to_string(c.id);
    m.sections.push_back(std::move(s));
  }
  return m;
}

}  // namespace

std::string DmTarget(std::string_view user_id) { return "dm:" + std::string(user_id); }

const QuestionSet* QuestionSetFor(Store& store, const QuestionSets& sets, WorkspaceId ws) {
  auto chosen = store.GetSetting(ws, "questions");
  if (chosen.ok() && *chosen) {
    auto it = sets.find(**chosen);
    if (it != sets.end()) return &it->second;
  }
  auto it = sets.find("default");
  return it == sets.end() ? (sets.empty() ? nullptr : &sets.begin()->second) : &it->second;
}

Result<bool> OpenPostmortem(Store& store, const QuestionSets& sets, const Campaign& c, Time now,
                            const PostmortemOptions& options) {
  const QuestionSet* set = QuestionSetFor(store, sets, c.workspace_id);
  if (set == nullptr) return Status::Internal("no post-mortem question set is loaded");
  if (c.participants.empty()) {
    return Status::InvalidArgument("the campaign has no participants to ask; add them with "
                                   "campaign edit \"" + c.name + "\" with:@ana,@bo");
  }
  std::vector<Step> steps = StepsFor(*set, c);
  Postmortem pm;
  pm.workspace_id = c.workspace_id;
  pm.campaign_id = c.id;
  pm.question_set = set->id;
  pm.question_set_version = set->version;
  pm.opened_at = now;
  pm.deadline_at = now + options.deadline;
  std::vector<PromptSession> sessions;
  std::vector<OutboxMessage> messages;
  std::string prefix = "pm-open:" + std::to_string(c.id) + ":";
  if (!c.channel_target.empty()) {
    Message note;
    note.visibility = Visibility::kChannel;
    note.text = Quote(c.name) + " has ended: time for a short post-mortem. I have sent " +
                std::to_string(c.participants.size()) +
                (c.participants.size() == 1 ? " person" : " people") +
                " a DM with " + std::to_string(steps.size()) + " questions; the summary comes "
                "here when everyone has answered, or in " +
                std::to_string(options.deadline.count() / 24) + " days.";
    if (!c.learning_goals.empty()) {
      Section s;
      s.text = {Strong("We hoped to learn: "), Plain(c.learning_goals)};
      note.sections.push_back(std::move(s));
    }
    messages.push_back(Outgoing(c, c.channel_target, note, prefix + "channel", now));
  }
  for (const auto& user : c.participants) {
    PromptSession s;
    s.workspace_id = c.workspace_id;
    s.user_id = user;
    s.state = PromptState::kAsking;
    s.dm_target = DmTarget(user);
    s.next_reminder_at = now + options.first_reminder;
    s.updated_at = now;
    sessions.push_back(s);
    Message dm = QuestionMessage(
        c, steps, 0, "",
        Quote(c.name) + " has ended — what did we learn? " + std::to_string(steps.size()) +
            " questions, about five minutes; answer here one at a time or all at once in a form.");
    messages.push_back(Outgoing(c, s.dm_target, dm, prefix + user, now));
  }
  auto opened = store.OpenPostmortem(pm, sessions, messages);
  if (opened.ok() && *opened) {
    LogInfo("postmortem.opened", {{"campaign", std::to_string(c.id)},
                                  {"participants", std::to_string(c.participants.size())}});
  }
  return opened;
}

int OpenDuePostmortems(Store& store, const QuestionSets& sets, Time now,
                       const PostmortemOptions& options) {
  auto due = store.CampaignsDue(now, 100);
  if (!due.ok()) return 0;
  int opened = 0;
  for (const auto& c : *due) {
    auto r = OpenPostmortem(store, sets, c, now, options);
    if (r.ok() && *r) ++opened;
    if (!r.ok()) {
      LogWarn("postmortem.open_failed", {{"campaign", std::to_string(c.id)}, {"error", r.status().message()}});
      if (r.status().code() == Status::Code::kInvalidArgument) {
        Campaign ended = c;  // nobody to ask: the campaign ends without a post-mortem
        ended.status = CampaignStatus::kEnded;
        ended.updated_at = now;
        (void)store.UpdateCampaign(ended);
      }
    }
  }
  return opened;
}

std::optional<Message> HandleAnswerTurn(Store& store, const QuestionSets& sets, const Inbound& in,
                                        const Workspace& ws, std::string_view text, Time now,
                                        const PostmortemOptions& options) {
  auto sessions = store.OpenSessionsOf(ws.id, in.user_id);
  if (!sessions.ok()) return std::nullopt;
  const PromptSession* active = nullptr;
  for (const auto& s : *sessions) {
    if (s.state == PromptState::kAsking || s.state == PromptState::kSnoozed) {
      active = &s;
      break;
    }
  }
  if (active == nullptr) return std::nullopt;
  auto loaded = Load(store, sets, ws.id, active->postmortem_id);
  if (!loaded.ok()) return ErrorReply("That post-mortem can no longer be answered.");
  PromptSession s = *active;
  const auto& steps = loaded->steps;
  if (steps.empty()) return ErrorReply("This post-mortem has no questions.");
  s.current_question = std::clamp(s.current_question, 0, static_cast<int>(steps.size()) - 1);
  std::string word = AsciiLower(Trim(text));
  s.updated_at = now;
  s.state = PromptState::kAsking;
  auto answers = store.ListAnswers(s.postmortem_id, in.user_id);
  auto current = answers.ok() ? AnswerMap(*answers) : std::map<std::string, std::string>{};
  auto ask = [&](int index, std::string intro) {
    auto it = current.find(steps[static_cast<size_t>(index)].answer_id);
    return QuestionMessage(loaded->campaign, steps, index, it == current.end() ? "" : it->second,
                           std::move(intro));
  };
  std::string tz = PersonTimezone(store, ws.id, ws.timezone, in.user_id);
  if (word == "later") {
    s.state = PromptState::kSnoozed;
    s.next_reminder_at = now + std::chrono::hours(24);
    if (Status st = store.SaveSession(s, nullptr); !st.ok()) return ErrorReply("Could not save that; please try again.");
    Message m;
    m.text = "OK — I'll ask again tomorrow. Your answers so far are kept.";
    return m;
  }
  if (word == "stop") {
    s.state = PromptState::kSkipped;
    s.next_reminder_at = Time{};
    if (Status st = store.SaveSession(s, nullptr); !st.ok()) return ErrorReply("Could not save that; please try again.");
    auto lessons = Regenerate(store, *loaded, in.user_id, now);
    if (lessons.ok()) OfferEvidence(store, in, ws, *loaded, *lessons, now);
    Message m;
    m.text = "Understood — no more questions about " + Quote(loaded->campaign.name) +
             ". Your answers so far are kept" +
             (lessons.ok() && !lessons->empty() ? " and are in the Book as " + std::to_string(lessons->size()) + " lessons." : ".");
    return m;
  }
  if (word == "back") {
    s.current_question = std::max(0, s.current_question - 1);
    if (Status st = store.SaveSession(s, nullptr); !st.ok()) return ErrorReply("Could not save that; please try again.");
    return ask(s.current_question, "");
  }
  if (word != "skip") {
    const Step& step = steps[static_cast<size_t>(s.current_question)];
    std::string value = Trim(text);
    if (step.question->kind == QuestionKind::kRating) {
      if (value.size() != 1 || value[0] < '1' || value[0] > '5') {
        Message m = ask(s.current_question, "Please answer with a number from 1 to 5 (or skip).");
        m.is_error = true;
        return m;
      }
    }
    if (value.size() > 6000) return ErrorReply("That answer is over 6000 bytes; please shorten it.");
    Answer a{s.postmortem_id, in.user_id, step.answer_id, value, now};
    if (Status st = store.SaveAnswer(a); !st.ok()) return ErrorReply("Could not save your answer; please send it again.");
    current[step.answer_id] = value;
  }
  s.current_question += 1;
  if (s.current_question >= static_cast<int>(steps.size())) {
    s.current_question = static_cast<int>(steps.size()) - 1;
    s.state = PromptState::kDone;
    s.next_reminder_at = Time{};
    if (Status st = store.SaveSession(s, nullptr); !st.ok()) return ErrorReply("Could not save that; please try again.");
    auto lessons = Regenerate(store, *loaded, in.user_id, now);
    if (!lessons.ok()) return ErrorReply("Your answers are saved, but the lessons could not be written; they will be at the close.");
    OfferEvidence(store, in, ws, *loaded, *lessons, now);
    return Thanks(*loaded, *lessons, tz);
  }
  if (Status st = store.SaveSession(s, nullptr); !st.ok()) return ErrorReply("Could not save that; please try again.");
  (void)options;
  return ask(s.current_question, word == "skip" ? "Skipped." : "Saved.");
}

Message PostmortemForm(Store& store, const QuestionSets& sets, const Inbound& in,
                       const Workspace& ws, std::string_view campaign_name, Time now) {
  std::int64_t pm_id = 0;
  if (Trim(campaign_name).empty()) {
    auto sessions = store.OpenSessionsOf(ws.id, in.user_id);
    if (!sessions.ok() || sessions->empty()) {
      return ErrorReply("You have no open post-mortem. Say which campaign: postmortem \"Q1 webinar\".");
    }
    pm_id = sessions->front().postmortem_id;
  } else {
    auto c = store.FindCampaign(ws.id, Trim(campaign_name));
    if (!c.ok()) {
      // A button carries the campaign id.
      bool digits = !campaign_name.empty() &&
                    std::all_of(campaign_name.begin(), campaign_name.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      auto by_id = digits && campaign_name.size() < 15 ? store.GetCampaign(ws.id, std::stoll(std::string(campaign_name)))
                                                       : Result<Campaign>(c.status());
      if (!by_id.ok()) return ErrorReply(c.status().message() + "; campaign list shows them.");
      c = by_id;
    }
    auto pm = store.PostmortemOfCampaign(ws.id, c->id);
    if (!pm.ok()) return ErrorReply(Quote(c->name) + " has not ended yet, so there is no post-mortem to answer.");
    pm_id = pm->id;
  }
  auto l = Load(store, sets, ws.id, pm_id);
  if (!l.ok()) return ErrorReply("That post-mortem cannot be found.");
  if (!l->pm.open()) return ErrorReply("The post-mortem of " + Quote(l->campaign.name) + " is closed; its answers can no longer change.");
  auto sessions = store.ListSessions(pm_id);
  bool participant = sessions.ok() && std::any_of(sessions->begin(), sessions->end(),
                                                  [&](const PromptSession& s) { return s.user_id == in.user_id; });
  if (!participant) return ErrorReply("You are not a participant of " + Quote(l->campaign.name) + "'s post-mortem.");
  auto answers = store.ListAnswers(pm_id, in.user_id);
  auto current = answers.ok() ? AnswerMap(*answers) : std::map<std::string, std::string>{};
  Message m;
  m.text = l->set->title + ": " + l->campaign.name;
  Form f;
  f.form_id = kPostmortemFormId;
  f.title = Ellipsize(l->set->title + ": " + l->campaign.name, 24);
  f.submit_label = "Save answers";
  f.state = std::to_string(pm_id);
  for (const auto& step : l->steps) {
    Input in_field;
    in_field.id = step.answer_id;
    in_field.label = Ellipsize(step.text, 2000);
    in_field.required = false;
    auto it = current.find(step.answer_id);
    in_field.initial = it != current.end() ? it->second : step.prefill;
    switch (step.question->kind) {
      case QuestionKind::kMetrics: in_field.kind = InputKind::kText; break;
      case QuestionKind::kText:
      case QuestionKind::kList: in_field.kind = InputKind::kMultilineText; in_field.max_length = 3000; break;
      case QuestionKind::kSections:
        in_field.kind = InputKind::kMultiChoice;
        for (const auto& sec : WorkspaceSections(store, ws.id)) in_field.choices.push_back({sec.tag, sec.title});
        break;
      case QuestionKind::kRating:
        in_field.kind = InputKind::kChoice;
        for (int r = 1; r <= 5; ++r) in_field.choices.push_back({std::to_string(r), std::to_string(r)});
        break;
    }
    f.inputs.push_back(std::move(in_field));
  }
  m.form = std::move(f);
  (void)now;
  return m;
}

Message SubmitPostmortemForm(Store& store, const QuestionSets& sets, const Inbound& in,
                             const Workspace& ws, const FormSubmitEvent& form, Time now,
                             const PostmortemOptions& options) {
  std::int64_t pm_id = 0;
  for (char ch : form.state) {
    if (ch < '0' || ch > '9' || pm_id > 1'000'000'000'000LL) return ErrorReply("This form is no longer valid; type postmortem to get a new one.");
    pm_id = pm_id * 10 + (ch - '0');
  }
  auto l = Load(store, sets, ws.id, pm_id);  // another workspace's id is simply not found
  if (!l.ok()) return ErrorReply("This form is no longer valid; type postmortem to get a new one.");
  if (!l->pm.open()) return ErrorReply("The post-mortem of " + Quote(l->campaign.name) + " is closed; its answers can no longer change.");
  auto sessions = store.ListSessions(pm_id);
  const PromptSession* mine = nullptr;
  if (sessions.ok()) {
    for (const auto& s : *sessions) if (s.user_id == in.user_id) mine = &s;
  }
  if (mine == nullptr) return ErrorReply("You are not a participant of " + Quote(l->campaign.name) + "'s post-mortem.");
  Message errors = ErrorReply("Please fix the highlighted answers.");
  for (const auto& step : l->steps) {
    auto it = form.values.find(step.answer_id);
    if (it == form.values.end()) continue;
    std::string v = Trim(it->second);
    if (!IsValidUtf8(v)) errors.input_errors.push_back({step.answer_id, "This is not valid text."});
    if (v.size() > 6000) errors.input_errors.push_back({step.answer_id, "Please keep this under 6000 bytes."});
    if (step.question->kind == QuestionKind::kRating && !v.empty() &&
        (v.size() != 1 || v[0] < '1' || v[0] > '5')) {
      errors.input_errors.push_back({step.answer_id, "Choose a number from 1 to 5."});
    }
  }
  if (!errors.input_errors.empty()) return errors;
  for (const auto& step : l->steps) {
    auto it = form.values.find(step.answer_id);
    if (it == form.values.end()) continue;
    if (Status s = store.SaveAnswer(Answer{pm_id, in.user_id, step.answer_id, Trim(it->second), now}); !s.ok()) {
      return ErrorReply("Could not save your answers; please submit again.");
    }
  }
  PromptSession s = *mine;
  s.state = PromptState::kDone;
  s.next_reminder_at = Time{};
  s.updated_at = now;
  (void)store.SaveSession(s, nullptr);
  auto lessons = Regenerate(store, *l, in.user_id, now);
  if (!lessons.ok()) return ErrorReply("Your answers are saved, but the lessons could not be written; they will be at the close.");
  (void)options;
  OfferEvidence(store, in, ws, *l, *lessons, now);
  return Thanks(*l, *lessons, PersonTimezone(store, ws.id, ws.timezone, in.user_id));
}

int SendDueReminders(Store& store, const QuestionSets& sets, Time now,
                     const PostmortemOptions& options) {
  auto due = store.SessionsDueForReminder(now, 200);
  if (!due.ok()) return 0;
  int sent = 0;
  for (PromptSession s : *due) {
    auto ws = store.GetWorkspace(s.workspace_id);
    if (!ws.ok()) continue;
    auto l = Load(store, sets, s.workspace_id, s.postmortem_id);
    if (!l.ok() || l->steps.empty()) continue;
    std::string tz = PersonTimezone(store, s.workspace_id, ws->timezone, s.user_id);
    int hour = LocalHour(now, tz);
    if (hour >= options.quiet_from_hour || hour < options.quiet_until_hour) {
      s.next_reminder_at = NextLocalHour(now, options.quiet_until_hour, tz);  // never at night
      (void)store.SaveSession(s, nullptr);
      continue;
    }
    if (s.reminders_sent >= options.max_reminders) {
      s.next_reminder_at = Time{};
      (void)store.SaveSession(s, nullptr);
      continue;
    }
    s.reminders_sent += 1;
    s.state = PromptState::kAsking;
    s.next_reminder_at = s.reminders_sent < options.max_reminders
                             ? std::max(now + std::chrono::hours(1), l->pm.opened_at + options.second_reminder)
                             : Time{};
    s.updated_at = now;
    auto answers = store.ListAnswers(s.postmortem_id, s.user_id);
    auto current = answers.ok() ? AnswerMap(*answers) : std::map<std::string, std::string>{};
    int index = std::clamp(s.current_question, 0, static_cast<int>(l->steps.size()) - 1);
    auto it = current.find(l->steps[static_cast<size_t>(index)].answer_id);
    Message m = QuestionMessage(l->campaign, l->steps, index, it == current.end() ? "" : it->second,
                                "A reminder: the post-mortem of " + Quote(l->campaign.name) +
                                    " is waiting for you (it closes " +
                                    FormatLocalDate(l->pm.deadline_at, tz) + ").");
    OutboxMessage out = Outgoing(l->campaign, s.dm_target, m,
                                 "pm-remind:" + std::to_string(s.id) + ":" + std::to_string(s.reminders_sent), now);
    if (store.SaveSession(s, &out).ok()) ++sent;
  }
  return sent;
}

int CloseDuePostmortems(Store& store, const QuestionSets& sets, Time now,
                        const PostmortemOptions& options) {
  auto open = store.OpenPostmortems();
  if (!open.ok()) return 0;
  int closed = 0;
  for (const auto& pm : *open) {
    auto sessions = store.ListSessions(pm.id);
    if (!sessions.ok()) continue;
    bool everyone = std::all_of(sessions->begin(), sessions->end(), [](const PromptSession& s) {
      return s.state == PromptState::kDone || s.state == PromptState::kSkipped;
    });
    if (now < pm.deadline_at && !everyone) continue;
    auto l = Load(store, sets, pm.workspace_id, pm.id);
    if (!l.ok()) continue;
    auto answers = store.ListAnswers(pm.id, "");
    if (!answers.ok()) continue;
    // Nothing answered is lost: whoever answered part of it has those lessons too.
    std::map<std::string, bool> people;
    for (const auto& a : *answers) people[a.user_id] = true;
    for (const auto& [user, _] : people) (void)Regenerate(store, *l, user, now);
    Campaign c = l->campaign;
    for (auto& metric : c.metrics) {
      for (const auto& a : *answers) {
        if (a.question_id == "metric:" + metric.name && !Trim(a.value).empty() &&
            (metric.actual.empty() || a.user_id == c.owner)) {
          metric.actual = Trim(a.value);
        }
      }
    }
    c.updated_at = now;
    (void)store.UpdateCampaign(c);
    l->campaign = c;
    Message summary = Summary(store, *l, *sessions, *answers, options);
    OutboxMessage out;
    if (!c.channel_target.empty()) {
      out = Outgoing(c, c.channel_target, summary, "pm-summary:" + std::to_string(pm.id), now);
    }
    auto done = store.ClosePostmortem(pm.workspace_id, pm.id, now, out);
    if (done.ok() && *done) {
      ++closed;
      LogInfo("postmortem.closed", {{"postmortem", std::to_string(pm.id)},
                                    {"early", everyone && now < pm.deadline_at ? "yes" : "no"}});
    }
  }
  return closed;
}

}  // namespace lessonbook
