#include "bot/campaigns.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "bot/directory.h"
#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "bot/people.h"
#include "bot/replies.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr int kEndHour = 17;  // a campaign that ends on a date ends at 17:00 local time

std::string Quote(std::string_view s) { return "“" + std::string(s) + "”"; }

Message Info(std::string text) {
  Message m;
  m.text = std::move(text);
  return m;
}

std::string People(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + AuthorLabel(id);
  return out.empty() ? "nobody" : out;
}

Section Card(const Campaign& c, std::string_view tz) {
  Section s;
  s.text.push_back(Strong(c.name));
  if (!c.goals.empty()) s.text.push_back(Plain("\nGoal: " + c.goals));
  if (!c.learning_goals.empty()) s.text.push_back(Plain("\nWe hope to learn: " + c.learning_goals));
  for (const auto& m : c.metrics) {
    s.text.push_back(Plain("\n• " + m.name + ": target " + (m.target.empty() ? "not set" : m.target) +
                           (m.actual.empty() ? "" : ", result " + m.actual)));
  }
  s.fields = {{"Status", CampaignStatusName(c.status)},
              {"Ends", FormatLocalDate(c.ends_at, tz)},
              {"Owner", AuthorLabel(c.owner)},
              {"Participants", People(c.participants)}};
  return s;
}

// Words worth searching for from a campaign's name, goals and learning goals.
std::vector<std::string> SearchWords(const Campaign& c) {
  static const std::set<std::string> kStop = {
      "with", "that", "this", "from", "will", "what", "does", "have", "into", "more", "than",
      "about", "campaign", "their", "there", "which", "when", "your", "ours", "they"};
  std::vector<std::string> words;
  for (const std::string* text : {&c.name, &c.goals, &c.learning_goals}) {
    std::string w;
    for (char ch : *text + " ") {
      unsigned char u = static_cast<unsigned char>(ch);
      if (std::isalnum(u) || u >= 0x80) {
        w += static_cast<char>(std::tolower(u));
        continue;
      }
      if (w.size() >= 4 && !kStop.count(w) &&
          std::find(words.begin(), words.end(), w) == words.end()) {
        words.push_back(w);
      }
      w.clear();
    }
  }
  if (words.size() > 8) words.resize(8);
  return words;
}

// What the Book already says about a campaign like this one.
std::vector<Section> Resurface(Store& store, const Campaign& c, std::string_view tz) {
  std::vector<Section> out;
  auto words = SearchWords(c);
  if (words.empty()) return out;
  LessonQuery q;
  q.workspace_id = c.workspace_id;
  q.words = words;
  q.limit = 5;
  auto page = store.SearchLessons(q);
  if (!page.ok() || page->hits.empty()) return out;
  Section head;
  head.text.push_back(Strong("Before you start — what the Book of Learning says:"));
  out.push_back(std::move(head));
  for (const auto& hit : page->hits) out.push_back(LessonSection(hit.lesson, tz, &hit.snippet));
  return out;
}

bool MayChange(const CampaignContext& ctx, const Campaign& c) {
  return ctx.is_admin || c.owner == ctx.in.user_id;
}

// Applies the options of new/edit to the campaign; an error names the right form.
Status Apply(const CampaignContext& ctx, const CampaignCommand& cmd, Campaign& c) {
  const auto& o = cmd.options;
  if (auto it = o.find("ends"); it != o.end()) {
    auto t = ParseLocalDateTime(it->second, ctx.ws.timezone, kEndHour);
    if (!t.ok()) return Status::InvalidArgument("ends: " + t.status().message());
    if (*t <= ctx.now) {
      return Status::InvalidArgument("ends:" + it->second + " is in the past; give a date after today "
                                     "(campaign end ends a campaign now)");
    }
    c.ends_at = *t;
  }
  if (auto it = o.find("starts"); it != o.end()) {
    auto t = ParseLocalDateTime(it->second, ctx.ws.timezone, 9);
    if (!t.ok()) return Status::InvalidArgument("starts: " + t.status().message());
    c.starts_at = *t;
  }
  if (auto it = o.find("channel"); it != o.end()) {
    std::string id = ChannelIdFromMention(it->second);
    if (id.empty() && ctx.in.platform != Platform::kWeb) {
      return Status::InvalidArgument("channel: takes a channel mention, e.g. channel:#launch");
    }
    if (!id.empty()) {
      c.channel_id = id;
      c.channel_target = id;
    }
  }
  if (auto it = o.find("owner"); it != o.end()) {
    std::string owner = UserIdFromMention(it->second, ctx.in.platform);
    if (owner.empty()) return Status::InvalidArgument("owner: takes a person, e.g. owner:@ana");
    c.owner = owner;
  }
  if (auto it = o.find("goal"); it != o.end()) c.goals = it->second;
  if (auto it = o.find("learn"); it != o.end()) c.learning_goals = it->second;
  if (!cmd.metrics.empty()) {
    for (const auto& [name, target] : cmd.metrics) {
      auto m = std::find_if(c.metrics.begin(), c.metrics.end(),
                            [&](const CampaignMetric& x) { return x.name == name; });
      if (m == c.metrics.end()) c.metrics.push_back(CampaignMetric{name, target, ""});
      else m->target = target;
    }
  }
  if (cmd.with_given) {
    if (cmd.with.empty()) return Status::InvalidArgument("with: needs people, e.g. with:@bo,@cy");
    std::vector<std::string> people;
    auto add = [&people](const std::string& id) {
      if (std::find(people.begin(), people.end(), id) == people.end()) people.push_back(id);
    };
    for (const auto& w : cmd.with) {
      // A channel (Slack <#C…>) or a Teams channel mention (<@19:…>) means its members.
      std::string channel = ChannelIdFromMention(w);
      std::string id = UserIdFromMention(w, ctx.in.platform);
      if (channel.empty() && ctx.in.platform == Platform::kTeams && id.rfind("19:", 0) == 0) {
        channel = id;
      }
      if (channel.empty() && w[0] == '#') {
        return Status::InvalidArgument("with: takes people (with:@bo,@cy) or a channel mention "
                                       "the platform turns into a link");
      }
      if (!channel.empty()) {
        if (ctx.directory == nullptr) {
          return Status::InvalidArgument("with: cannot read a channel's members here; name the "
                                         "people instead, e.g. with:@bo,@cy");
        }
        auto members = ctx.directory->MembersOf(ctx.ws.id, channel);
        if (!members.ok()) {
          return Status::InvalidArgument("could not read the members of that channel (" +
                                         members.status().message() +
                                         "); invite @Lessonbook to it, or name the people");
        }
        for (const auto& m : *members) add(m);
        continue;
      }
      if (id.empty()) return Status::InvalidArgument("with: takes people, e.g. with:@bo,@cy");
      add(id);
    }
    if (people.empty()) return Status::InvalidArgument("with: found nobody to ask");
    c.participants = people;
  }
  if (std::find(c.participants.begin(), c.participants.end(), c.owner) == c.participants.end()) {
    c.participants.insert(c.participants.begin(), c.owner);
  }
  for (const std::string* t : {&c.name, &c.goals, &c.learning_goals}) {
    if (!IsValidUtf8(*t)) return Status::InvalidArgument("the campaign's text is not valid UTF-8");
  }
  if (c.goals.size() > 2000 || c.learning_goals.size() > 2000) {
    return Status::InvalidArgument("goals and learning goals are at most 2000 bytes each");
  }
  if (c.participants.size() > 200) return Status::InvalidArgument("at most 200 participants");
  return Status::Ok();
}

Message NewForm() {
  Message m;
  m.text = "New campaign";
  Form f;
  f.form_id = kCampaignFormId;
  f.title = "New campaign";
  f.submit_label = "Create";
  auto input = [](std::string id, std::string label, InputKind kind, bool required,
                  std::string placeholder) {
    Input in;
    in.id = std::move(id);
    in.label = std::move(label);
    in.kind = kind;
    in.required = required;
    in.placeholder = std::move(placeholder);
    return in;
  };
  f.inputs = {input("name", "Name", InputKind::kText, true, "Q1 webinar"),
              input("ends", "Ends (YYYY-MM-DD)", InputKind::kText, true, "2026-12-15"),
              input("goal", "What do we want to achieve?", InputKind::kMultilineText, false, "300 MQLs"),
              input("learn", "What do we hope to learn?", InputKind::kMultilineText, false,
                    "Does a partner co-host raise attendance?"),
              input("metrics", "Metrics (name=target, …)", InputKind::kText, false, "mqls=300, signups=1000"),
              input("with", "Participants", InputKind::kText, false, "@bo, @cy")};
  m.form = std::move(f);
  return m;
}

Message Create(const CampaignContext& ctx, const CampaignCommand& cmd) {
  if (cmd.name.empty() && cmd.options.empty() && cmd.metrics.empty() && !cmd.with_given) return NewForm();
  if (cmd.name.empty()) return ErrorReply("Give the campaign a name, e.g. campaign new \"Q1 webinar\" ends:2026-12-15");
  if (!cmd.options.count("ends")) {
    return ErrorReply("When does " + Quote(cmd.name) + " end? Add ends:YYYY-MM-DD, e.g. campaign new \"" +
                      cmd.name + "\" ends:2026-12-15");
  }
  Campaign c;
  c.workspace_id = ctx.ws.id;
  c.platform = ctx.in.platform;
  c.name = cmd.name;
  c.owner = ctx.in.user_id;
  c.channel_id = ctx.in.channel_id;
  c.channel_target = ctx.in.channel_target.empty() ? ctx.in.reply_to : ctx.in.channel_target;
  c.starts_at = ctx.now;
  c.created_at = c.updated_at = ctx.now;
  if (Status s = Apply(ctx, cmd, c); !s.ok()) return ErrorReply(s.message());
  c.status = c.starts_at > ctx.now ? CampaignStatus::kPlanned : CampaignStatus::kRunning;
  auto made = ctx.store.CreateCampaign(c);
  if (!made.ok()) {
    if (made.status().code() == Status::Code::kAlreadyExists) {
      return ErrorReply("There is a campaign called " + Quote(c.name) + " already; pick another name "
                        "or see it with campaign show \"" + c.name + "\"");
    }
    LogError("campaign.create_failed", {{"error", made.status().ToString()}});
    return ErrorReply("Could not save the campaign; please try again.");
  }
  Message m = Info("Campaign " + Quote(made->name) + " is set up. When it ends on " +
                   FormatLocalDate(made->ends_at, ctx.ws.timezone) + ", I'll ask " +
                   People(made->participants) + " for a short post-mortem.");
  m.sections.push_back(Card(*made, ctx.ws.timezone));
  auto past = Resurface(ctx.store, *made, ctx.ws.timezone);
  if (made->owner == ctx.in.user_id) {
    for (auto& s : past) m.sections.push_back(std::move(s));
  } else if (!past.empty()) {
    Message owner = Info("You own the new campaign " + Quote(made->name) + ". Before you start, here "
                         "is what the Book of Learning says about campaigns like it.");
    for (auto& s : past) owner.sections.push_back(std::move(s));
    (void)EnqueueMessage(ctx.store, ctx.now, ctx.ws.id, ctx.in.platform, DmTarget(made->owner), owner,
                         "campaign-resurface:" + std::to_string(made->id));
  }
  return m;
}

Result<Campaign> Find(const CampaignContext& ctx, const std::string& name) {
  auto c = ctx.store.FindCampaign(ctx.ws.id, name);
  if (!c.ok() && c.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("there is no campaign called " + Quote(name) + "; campaign list shows them");
  }
  return c;
}

}  // namespace

Message RunCampaignCommand(const CampaignContext& ctx, const CampaignCommand& cmd) {
  using A = CampaignCommand::Action;
  switch (cmd.action) {
    case A::kNew:
      return Create(ctx, cmd);
    case A::kList: {
      auto list = ctx.store.ListCampaigns(ctx.ws.id, 25);
      if (!list.ok()) return ErrorReply("Could not read the campaigns; please try again.");
      if (list->empty()) {
        return Info("No campaigns yet. Start one: campaign new \"Q1 webinar\" ends:2026-12-15 "
                    "with:@bo goal:\"300 MQLs\" learn:\"does a co-host raise attendance?\"");
      }
      Message m = Info(std::to_string(list->size()) + (list->size() == 1 ? " campaign:" : " campaigns:"));
      Section s;
      for (const auto& c : *list) {
        if (!s.text.empty()) s.text.push_back(Plain("\n"));
        s.text.push_back(Strong(c.name));
        s.text.push_back(Plain(" — " + std::string(CampaignStatusName(c.status)) + ", ends " +
                               FormatLocalDate(c.ends_at, ctx.ws.timezone) + ", owner " +
                               AuthorLabel(c.owner)));
      }
      m.sections.push_back(std::move(s));
      return m;
    }
    case A::kShow: {
      auto c = Find(ctx, cmd.name);
      if (!c.ok()) return ErrorReply(c.status().message());
      Message m = Info("Campaign " + Quote(c->name));
      m.sections.push_back(Card(*c, ctx.ws.timezone));
      auto pm = ctx.store.PostmortemOfCampaign(ctx.ws.id, c->id);
      if (pm.ok()) {
        auto sessions = ctx.store.ListSessions(pm->id);
        int done = 0, total = sessions.ok() ? static_cast<int>(sessions->size()) : 0;
        if (sessions.ok()) {
          for (const auto& s : *sessions) done += s.state == PromptState::kDone ? 1 : 0;
        }
        Section s;
        s.text.push_back(Strong("Post-mortem: "));
        s.text.push_back(Plain(std::to_string(done) + " of " + std::to_string(total) + " answered, " +
                               (pm->open() ? "closes " + FormatLocalDate(pm->deadline_at, ctx.ws.timezone)
                                           : "closed " + FormatLocalDate(pm->closed_at, ctx.ws.timezone))));
        m.sections.push_back(std::move(s));
      }
      return m;
    }
    case A::kEnd: {
      auto c = Find(ctx, cmd.name);
      if (!c.ok()) return ErrorReply(c.status().message());
      if (!MayChange(ctx, *c)) {
        return ErrorReply("Only the campaign's owner (" + AuthorLabel(c->owner) + ") or an admin can end it.");
      }
      if (c->status != CampaignStatus::kPlanned && c->status != CampaignStatus::kRunning) {
        return ErrorReply(Quote(c->name) + " has ended already (" + CampaignStatusName(c->status) + ").");
      }
      Campaign ended = *c;
      ended.ends_at = ctx.now;
      ended.updated_at = ctx.now;
      auto saved = ctx.store.UpdateCampaign(ended);
      if (!saved.ok()) return ErrorReply("Could not end the campaign; please try again.");
      auto opened = OpenPostmortem(ctx.store, ctx.sets, *saved, ctx.now, ctx.postmortem);
      if (!opened.ok()) return ErrorReply("The campaign ended, but " + opened.status().message());
      return Info(Quote(c->name) + " has ended. Post-mortem questions are on their way to " +
                  People(saved->participants) + ".");
    }
    case A::kEdit: {
      auto c = Find(ctx, cmd.name);
      if (!c.ok()) return ErrorReply(c.status().message());
      if (!MayChange(ctx, *c)) {
        return ErrorReply("Only the campaign's owner (" + AuthorLabel(c->owner) + ") or an admin can change it.");
      }
      if (c->status == CampaignStatus::kClosed) return ErrorReply(Quote(c->name) + " is closed and can no longer change.");
      if (cmd.options.empty() && cmd.metrics.empty() && !cmd.with_given) {
        return ErrorReply("Nothing to change: add ends:, goal:, learn:, metric:, with:, owner: or channel:");
      }
      if (cmd.options.count("ends") && c->status != CampaignStatus::kPlanned &&
          c->status != CampaignStatus::kRunning) {
        return ErrorReply(Quote(c->name) + " has ended; its end date can no longer change.");
      }
      Campaign e = *c;
      if (Status s = Apply(ctx, cmd, e); !s.ok()) return ErrorReply(s.message());
      e.updated_at = ctx.now;
      auto saved = ctx.store.UpdateCampaign(e);
      if (!saved.ok()) return ErrorReply("Could not save the campaign; please try again.");
      Message m = Info("Updated " + Quote(saved->name) + ".");
      m.sections.push_back(Card(*saved, ctx.ws.timezone));
      return m;
    }
  }
  return ErrorReply("Unknown campaign command.");
}

Message SubmitCampaignForm(const CampaignContext& ctx, const FormSubmitEvent& form) {
  auto get = [&](const char* k) {
    auto it = form.values.find(k);
    return it == form.values.end() ? std::string() : Trim(it->second);
  };
  CampaignCommand cmd;
  cmd.action = CampaignCommand::Action::kNew;
  cmd.name = get("name");
  Message errors = ErrorReply("Please fix the highlighted fields.");
  if (cmd.name.empty()) errors.input_errors.push_back({"name", "Give the campaign a name."});
  if (get("ends").empty()) errors.input_errors.push_back({"ends", "When does it end? YYYY-MM-DD"});
  else cmd.options["ends"] = get("ends");
  if (!get("goal").empty()) cmd.options["goal"] = get("goal");
  if (!get("learn").empty()) cmd.options["learn"] = get("learn");
  auto no_spaces = [](std::string v) {
    for (auto& ch : v) {
      if (ch == ' ' || ch == '\n' || ch == '\t') ch = ',';
    }
    return v;
  };
  auto parsed = ParseCommand("campaign new x metric:" + no_spaces(get("metrics")) +
                             " with:" + no_spaces(get("with")));
  if (!get("metrics").empty() || !get("with").empty()) {
    if (!parsed.ok()) {
      errors.input_errors.push_back({"metrics", parsed.status().message()});
    } else {
      const auto& p = std::get<CampaignCommand>(parsed->command);
      cmd.metrics = p.metrics;
      if (!get("with").empty()) {
        cmd.with = p.with;
        cmd.with_given = true;
      }
    }
  }
  if (!errors.input_errors.empty()) return errors;
  Message m = Create(ctx, cmd);
  if (m.is_error && m.input_errors.empty()) {
    std::string field = m.text.find("ends") != std::string::npos ? "ends" : "name";
    m.input_errors.push_back({field, m.text});
  }
  return m;
}

}  // namespace lessonbook
