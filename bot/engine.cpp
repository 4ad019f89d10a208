#include "bot/engine.h"

#include <algorithm>

#include "bot/book_commands.h"
#include "bot/campaigns.h"
#include "bot/command_parser.h"
#include "bot/digest_commands.h"
#include "bot/home.h"
#include "bot/lesson_query.h"
#include "bot/lesson_text.h"
#include "bot/living_lessons.h"
#include "bot/local_time.h"
#include "bot/log.h"
#include "bot/outbox.h"
#include "bot/people.h"
#include "bot/postmortem.h"
#include "bot/question_set.h"
#include "bot/settings_commands.h"
#include "bot/replies.h"
#include "bot/text.h"
#include "storage/store.h"

namespace lessonbook {
namespace {

constexpr const char* kAddFormId = "add_lesson";
constexpr const char* kMoreAction = "search_more";

// Everything one Handle call needs to know about who is asking where.
struct Context {
  const Inbound& in;
  const Workspace& ws;
  Time now;
  bool IsAdmin() const {
    return std::find(ws.admins.begin(), ws.admins.end(), in.user_id) != ws.admins.end();
  }
};

Reply Say(Message m) { return Reply{std::move(m)}; }
Reply Fail(const Status& s) { return Say(ErrorReply(s.message())); }

// "serach" is probably "search": a hint for a search that found nothing.
std::string VerbHint(std::string_view text) {
  auto words = SplitCommandWords(text);
  if (words.empty()) return "";
  std::string first = AsciiLower(words[0]);
  static const char* kVerbs[] = {"search", "add", "edit", "delete", "help"};
  for (const char* v : kVerbs) {
    int d = EditDistance(first, v);
    if (first.size() >= 3 && first != v && d > 0 && d <= (std::string_view(v).size() > 4 ? 2 : 1)) {
      return std::string(" Did you mean the command \"") + v + "\"? Type help for the commands.";
    }
  }
  return "";
}

Message AddForm(const AddCommand& prefill) {
  Message m;
  m.text = "Add a lesson";
  Form f;
  f.form_id = kAddFormId;
  f.title = "Add a lesson";
  f.submit_label = "Save lesson";
  auto make = [](std::string id, std::string label, InputKind kind) {
    Input in;
    in.id = std::move(id);
    in.label = std::move(label);
    in.kind = kind;
    return in;
  };
  Input text = make("text", "What did you learn?", InputKind::kMultilineText);
  text.placeholder = "Subject lines with numbers got 20% more opens";
  text.initial = prefill.text;
  text.max_length = 3000;
  Input outcome = make("outcome", "Outcome", InputKind::kChoice);
  outcome.choices = {{"worked", "It worked"},
                     {"flopped", "It flopped (and taught us something)"},
                     {"change", "Do it differently next time"},
                     {"insight", "An insight"}};
  outcome.initial = "insight";
  Input tags = make("tags", "Tags", InputKind::kText);
  tags.required = false;
  tags.placeholder = "email, landing-pages";
  Input campaign = make("campaign", "Campaign", InputKind::kText);
  campaign.required = false;
  f.inputs = {text, outcome, tags, campaign};
  m.form = std::move(f);
  return m;
}

}  // namespace

Engine::Engine(Store& store, const Clock& clock, EngineOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  if (!options_.question_sets) {
    // The sets compiled in; a broken built-in set is a bug caught by the tests.
    auto sets = LoadQuestionSets("");
    options_.question_sets = std::make_shared<const QuestionSets>(sets.ok() ? *sets : QuestionSets{});
  }
}

namespace {

class Handler {
 public:
  Handler(Store& store, const EngineOptions& options, Context ctx, Directory* directory)
      : store_(store), options_(options), ctx_(ctx), directory_(directory) {}

  Reply Text(std::string_view text) {
    // A person a post-mortem is asking answers it with plain text; commands still work.
    if (!offset_ && !StartsWithVerb(text)) {
      if (auto turn = HandleAnswerTurn(store_, Sets(), ctx_.in, ctx_.ws, text, ctx_.now,
                                       PostmortemSettings())) {
        return Say(std::move(*turn));
      }
    }
    auto parsed = ParseCommand(text);
    if (!parsed.ok()) {
      return Say(ErrorReply(parsed.status().message() + ". Type help for the commands."));
    }
    share_ = parsed->share;
    return std::visit([&](const auto& c) { return Run(c, text); }, parsed->command);
  }

  Reply Form(const FormSubmitEvent& f) {
    if (f.form_id == kPostmortemFormId) {
      return Say(SubmitPostmortemForm(store_, Sets(), ctx_.in, ctx_.ws, f, ctx_.now,
                                      PostmortemSettings()));
    }
    if (f.form_id == kCampaignFormId) return Say(SubmitCampaignForm(Campaigns(), f));
    if (f.form_id != kAddFormId) {
      return Say(ErrorReply("This form is no longer open; type add to start again."));
    }
    auto get = [&](const char* k) {
      auto it = f.values.find(k);
      return it == f.values.end() ? std::string() : it->second;
    };
    Message errors = ErrorReply("Please fix the highlighted fields.");
    AddCommand add;
    add.text = Trim(get("text"));
    if (add.text.empty()) errors.input_errors.push_back({"text", "Write the lesson down here."});
    if (!IsValidUtf8(add.text)) errors.input_errors.push_back({"text", "This is not valid text."});
    std::string outcome = get("outcome");
    if (!outcome.empty()) {
      if (auto o = ParseOutcome(outcome)) add.outcome = *o;
      else errors.input_errors.push_back({"outcome", "Choose one of the outcomes."});
    }
    for (auto& word : SplitCommandWords(std::string(get("tags")))) {
      std::string piece;
      for (char c : word + ",") {
        if (c != ',') {
          piece += c;
          continue;
        }
        if (piece.empty()) continue;
        auto tag = NormalizeTag(piece);
        if (tag.ok()) add.tags.push_back(*tag);
        else errors.input_errors.push_back({"tags", tag.status().message()});
        piece.clear();
      }
    }
    add.campaign = Trim(get("campaign"));
    if (!IsValidUtf8(add.campaign)) errors.input_errors.push_back({"campaign", "This is not valid text."});
    if (!errors.input_errors.empty()) return Say(std::move(errors));
    return Run(add, "");
  }

  Reply Home() { return Say(HomeMessage(store_, ctx_.ws, ctx_.in.user_id, ctx_.now)); }

  Reply Action(const ActionEvent& a) {
    if (a.action_id == kPostmortemFormAction) {
      return Say(PostmortemForm(store_, Sets(), ctx_.in, ctx_.ws, a.value, ctx_.now));
    }
    if (IsEvidenceAction(a.action_id)) {
      return Say(HandleEvidenceAction(store_, ctx_.ws, ctx_.in.user_id, ctx_.IsAdmin(), a, ctx_.now));
    }
    if (a.action_id != kMoreAction) {
      return Say(ErrorReply("That button is no longer active; search again."));
    }
    size_t nl = a.value.find('\n');
    int offset = 0;
    if (nl == std::string::npos || nl == 0 || nl > 6) {
      return Say(ErrorReply("That button is no longer active; search again."));
    }
    for (size_t i = 0; i < nl; ++i) {
      char c = a.value[i];
      if (c < '0' || c > '9') return Say(ErrorReply("That button is no longer active; search again."));
      offset = offset * 10 + (c - '0');
    }
    offset_ = offset;
    return Text(std::string_view(a.value).substr(nl + 1));
  }

 private:
  Reply Run(const HelpCommand& c, std::string_view) { return Say(HelpReply(c.topic)); }

  Reply Run(const DigestCommand& c, std::string_view) {
    DigestOptions options;
    options.public_url = options_.public_url;
    return Say(RunDigestCommand(store_, ctx_.in, ctx_.ws, ctx_.now, c, options));
  }

  Reply Run(const CampaignCommand& c, std::string_view) {
    return Say(RunCampaignCommand(Campaigns(), c));
  }

  Reply Run(const PostmortemCommand& c, std::string_view) {
    return Say(PostmortemForm(store_, Sets(), ctx_.in, ctx_.ws, c.campaign, ctx_.now));
  }

  Reply Run(const SettingsCommand& c, std::string_view) {
    return Say(RunSettingsCommand(store_, Sets(), ctx_.in, ctx_.ws, c));
  }

  const QuestionSets& Sets() const { return *options_.question_sets; }

  PostmortemOptions PostmortemSettings() const {
    PostmortemOptions o;
    o.public_url = options_.public_url;
    return o;
  }

  CampaignContext Campaigns() {
    postmortem_ = PostmortemSettings();
    return CampaignContext{store_,       Sets(),      ctx_.in,   ctx_.ws, ctx_.now,
                           ctx_.IsAdmin(), postmortem_, directory_};
  }

  // True when the text starts with a command word (so it is never taken as an answer).
  static bool StartsWithVerb(std::string_view text) {
    auto words = SplitCommandWords(text);
    if (words.empty()) return false;
    static const char* kVerbs[] = {"search", "find", "add", "new", "edit", "delete", "remove",
                                   "help", "digest", "campaign", "campaigns", "postmortem",
                                   "post-mortem", "settings", "book", "export"};
    std::string first = AsciiLower(words[0]);
    for (const char* v : kVerbs) {
      if (first == v) return true;
    }
    return false;
  }

  // Personal links are always private, even with --share.
  Reply Run(const BookCommand&, std::string_view) {
    return Say(BookLinkReply(options_.book_links, ctx_.ws, ctx_.in.user_id, ctx_.now));
  }

  Reply Run(const ExportCommand& c, std::string_view) {
    return Say(ExportLinkReply(options_.book_links, ctx_.ws, ctx_.in.user_id, ctx_.IsAdmin(), c,
                               ctx_.now));
  }

  Reply Run(const UnavailableCommand& c, std::string_view) {
    return Say(ErrorReply("\"" + c.verb + "\" is not available in this version of Lessonbook yet. "
                          "Available now: search, add, edit, delete, campaign, postmortem, digest, settings, book, export, help."));
  }

  Status CheckLessonText(const std::string& text) {
    if (text.size() > options_.max_lesson_bytes) {
      return Status::InvalidArgument(
          "that lesson is " + std::to_string(text.size()) + " bytes; the limit is " +
          std::to_string(options_.max_lesson_bytes) +
          ". Split it into several lessons, one idea each");
    }
    if (!IsValidUtf8(text)) return Status::InvalidArgument("the lesson is not valid UTF-8 text");
    return Status::Ok();
  }

  Reply Run(const AddCommand& c, std::string_view) {
    if (c.text.empty()) return Say(AddForm(c));
    if (Status s = CheckLessonText(c.text); !s.ok()) return Fail(s);
    if (c.campaign.size() > 200) return Fail(Status::InvalidArgument("the campaign name is over 200 bytes"));
    Lesson l;
    l.workspace_id = ctx_.ws.id;
    auto tb = SplitTitleBody(c.text);
    l.title = tb.title;
    l.body = tb.body;
    l.outcome = c.outcome.value_or(Outcome::kInsight);
    l.tags = c.tags;
    l.campaign = c.campaign;
    l.author = ctx_.in.user_id;
    l.source = LessonSource::kManual;
    l.created_at = l.updated_at = ctx_.now;
    auto saved = store_.AddLesson(l, ctx_.in.request_key);
    if (!saved.ok()) return StoreFailure("add.store_failed", saved.status());
    LogInfo("lesson.added", {{"ws", std::to_string(ctx_.ws.id)}, {"id", std::to_string(saved->id)}});
    return OfferEvidence(*saved, MaybeShare(LessonReply("Saved", *saved, ctx_.ws.timezone)));
  }

  // Living lessons: similar lessons are offered to the author privately — under the answer when
  // it is private, else in a DM.
  Reply OfferEvidence(const Lesson& saved, Reply reply) {
    std::optional<Message> offer = EvidenceOffer(store_, {saved}, ctx_.ws.timezone);
    if (!offer) return reply;
    if (reply.message && reply.message->visibility == Visibility::kPrivate && !reply.message->is_error) {
      for (Section& s : offer->sections) reply.message->sections.push_back(std::move(s));
      return reply;
    }
    auto id = EnqueueMessage(store_, ctx_.now, ctx_.ws.id, ctx_.in.platform,
                             DmTarget(ctx_.in.user_id), *offer,
                             "evidence-offer:" + std::to_string(saved.id));
    if (!id.ok()) LogWarn("living.offer_not_queued", {{"error", id.status().ToString()}});
    return reply;
  }

  // The lesson if the caller may change it.
  Result<Lesson> Editable(LessonId id, const char* verb) {
    auto lesson = store_.GetLesson(ctx_.ws.id, id);
    if (!lesson.ok()) {
      if (lesson.status().code() == Status::Code::kNotFound) {
        return Status::NotFound("there is no lesson #" + std::to_string(id) +
                                " here; search shows each lesson's number");
      }
      return lesson.status();
    }
    if (lesson->author != ctx_.in.user_id && !ctx_.IsAdmin()) {
      return Status::PermissionDenied(std::string("only its author or an admin can ") + verb +
                                      " lesson #" + std::to_string(id));
    }
    return lesson;
  }

  Reply Run(const EditCommand& c, std::string_view) {
    auto lesson = Editable(c.id, "edit");
    if (!lesson.ok()) return Fail(lesson.status());
    Lesson l = *lesson;
    if (!c.text.empty()) {
      if (Status s = CheckLessonText(c.text); !s.ok()) return Fail(s);
      auto tb = SplitTitleBody(c.text);
      l.title = tb.title;
      l.body = tb.body;
    }
    if (c.tags) l.tags = *c.tags;
    if (c.outcome) l.outcome = *c.outcome;
    if (c.campaign) l.campaign = *c.campaign;
    l.updated_at = ctx_.now;
    auto saved = store_.UpdateLesson(l);
    if (!saved.ok()) return StoreFailure("edit.store_failed", saved.status());
    return MaybeShare(LessonReply("Updated", *saved, ctx_.ws.timezone));
  }

  Reply Run(const DeleteCommand& c, std::string_view) {
    auto lesson = Editable(c.id, "delete");
    if (!lesson.ok()) return Fail(lesson.status());
    Status s = store_.DeleteLesson(ctx_.ws.id, c.id);
    if (!s.ok()) return StoreFailure("delete.store_failed", s);
    Message m;
    m.text = "Deleted lesson #" + std::to_string(c.id) + " (" + Ellipsize(lesson->title, 80) + ").";
    return Say(std::move(m));
  }

  Reply Run(const SearchCommand& c, std::string_view text) {
    if (c.words.empty() && !c.HasFilters()) {
      return Say(ErrorReply("What should I look for? Type words, a filter, or both, e.g. search "
                            "subject lines tag:email outcome:worked"));
    }
    auto built = BuildLessonQuery(c, ctx_.ws, ctx_.in.platform);
    if (!built.ok()) return Fail(built.status());
    LessonQuery q = std::move(*built);
    q.limit = options_.search_page_size;
    q.offset = offset_;
    auto page = store_.SearchLessons(q);
    if (!page.ok()) return StoreFailure("search.store_failed", page.status());
    std::string query_text = Trim(text);
    if (query_text.rfind("search ", 0) == 0) query_text = Trim(query_text.substr(7));
    std::string more = std::to_string(offset_ + static_cast<int>(page->hits.size())) + "\n" +
                       std::string(TrimView(text));
    Message m = SearchReply(query_text, *page, offset_, ctx_.ws.timezone, more);
    if (page->total == 0) {
      m.text += VerbHint(text);
      RememberMiss(c.words);
    }
    return MaybeShare(std::move(m));
  }

  // What people looked for and did not find goes into the weekly digest.
  void RememberMiss(const std::vector<std::string>& words) {
    std::string terms;
    for (const auto& w : words) terms += (terms.empty() ? "" : " ") + AsciiLower(w);
    if (terms.empty()) return;
    Status s = store_.RecordSearchMiss(ctx_.ws.id, Ellipsize(terms, 120), ctx_.now);
    if (!s.ok()) LogWarn("search.miss_not_recorded", {{"error", s.ToString()}});
  }

  Reply StoreFailure(const char* event, const Status& s) {
    LogError(event, {{"ws", std::to_string(ctx_.ws.id)}, {"error", s.ToString()}});
    if (s.code() == Status::Code::kUnavailable) {
      return Say(ErrorReply("Lessonbook's database is busy; please try again in a moment."));
    }
    if (s.code() == Status::Code::kInvalidArgument || s.code() == Status::Code::kNotFound) {
      return Fail(s);
    }
    return Say(ErrorReply("Something went wrong on our side and nothing was changed; please try "
                          "again. (" + std::string(CodeName(s.code())) + ")"));
  }

  // With --share the answer goes to the channel through the outbox, the asker gets a note.
  Reply MaybeShare(Message m) {
    if (share_ && ctx_.in.share_inline) {  // the adapter's answer itself goes to the channel
      m.visibility = Visibility::kChannel;
      return Say(std::move(m));
    }
    if (!share_ || ctx_.in.reply_to.empty()) return Say(std::move(m));
    m.visibility = Visibility::kChannel;
    std::string key = ctx_.in.request_key.empty() ? "" : "share:" + ctx_.in.request_key;
    auto id = EnqueueMessage(store_, ctx_.now, ctx_.ws.id, ctx_.in.platform, ctx_.in.reply_to, m,
                             key);
    if (!id.ok()) return StoreFailure("share.enqueue_failed", id.status());
    Message note;
    note.text = "Shared with the channel.";
    return Say(std::move(note));
  }

  Store& store_;
  const EngineOptions& options_;
  Context ctx_;
  Directory* directory_ = nullptr;
  PostmortemOptions postmortem_;
  bool share_ = false;
  int offset_ = 0;
};

}  // namespace

Reply Engine::Handle(const Inbound& in) {
  Result<Workspace> ws = in.workspace && in.workspace->id == in.workspace_id
                             ? Result<Workspace>(*in.workspace)
                             : store_.GetWorkspace(in.workspace_id);
  if (!ws.ok()) {
    LogError("engine.no_workspace", {{"ws", std::to_string(in.workspace_id)},
                                     {"error", ws.status().ToString()}});
    return Say(ErrorReply("This workspace is not set up in Lessonbook; ask an admin to install "
                          "the app again."));
  }
  auto directory = directories_.find(in.platform);
  Handler h(store_, options_, Context{in, *ws, clock_.Now()},
            directory == directories_.end() ? nullptr : directory->second);
  struct Visitor {
    Handler& h;
    Reply operator()(const CommandEvent& e) { return h.Text(e.text); }
    Reply operator()(const MessageEvent& e) { return h.Text(e.text); }
    Reply operator()(const FormSubmitEvent& e) { return h.Form(e); }
    Reply operator()(const ActionEvent& e) { return h.Action(e); }
    Reply operator()(const InstalledEvent&) { return Say(HelpReply("")); }
    Reply operator()(const HomeOpenedEvent&) { return h.Home(); }
  };
  return std::visit(Visitor{h}, in.event);
}

}  // namespace lessonbook
