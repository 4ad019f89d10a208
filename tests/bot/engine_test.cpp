#include "bot/engine.h"

#include <gtest/gtest.h>

#include "bot/local_time.h"
#include "bot/message_codec.h"
#include "storage/store.h"
#include "tests/support/message_text.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

std::string Flatten(const Message& m) { return testing::MessageText(m); }

class EngineTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kWeb;
    w.external_id = "local";
    w.timezone = "Europe/Berlin";
    w.admins = {"web:boss"};
    auto ws = store_->EnsureWorkspace(w);
    ASSERT_TRUE(ws.ok()) << ws.status().ToString();
    ws_ = *ws;
    engine_ = std::make_unique<Engine>(*store_, clock_);
  }

  Inbound In(std::string text, std::string user = "web:ana", std::string key = "") {
    Inbound in;
    in.workspace_id = ws_.id;
    in.platform = Platform::kWeb;
    in.user_id = std::move(user);
    in.channel_id = "web:general";
    in.reply_to = "web:general";
    in.request_key = std::move(key);
    in.event = CommandEvent{std::move(text)};
    return in;
  }

  LessonQuery Query(std::vector<std::string> words) {
    LessonQuery q;
    q.workspace_id = ws_.id;
    q.words = std::move(words);
    return q;
  }

  Message Say(std::string text, std::string user = "web:ana", std::string key = "") {
    Reply r = engine_->Handle(In(std::move(text), std::move(user), std::move(key)));
    EXPECT_TRUE(r.message.has_value());
    return r.message.value_or(Message{});
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(EngineTest, AddThenSearchFindsTheLesson) {
  Message saved = Say("add Subject lines with numbers got 20% more opens #email outcome:worked");
  EXPECT_FALSE(saved.is_error) << saved.text;
  EXPECT_NE(saved.text.find("Saved lesson #"), std::string::npos);
  Message found = Say("subject lines");
  std::string all = Flatten(found);
  EXPECT_NE(all.find("1 lesson for \"subject lines\""), std::string::npos) << all;
  EXPECT_NE(all.find("Subject lines with numbers"), std::string::npos) << all;
  EXPECT_NE(all.find("worked · #email · @ana · 2026-11-23"), std::string::npos) << all;
}

TEST_P(EngineTest, SearchFiltersByTagOutcomeAuthorAndDate) {
  Say("add Webinars on Tuesdays doubled sign-ups #events outcome:worked");
  clock_.Advance(std::chrono::hours(24 * 10));
  Say("add Webinar without a co-host flopped #events outcome:flopped", "web:bo");
  EXPECT_NE(Flatten(Say("webinar outcome:flopped")).find("1 lesson"), std::string::npos);
  EXPECT_NE(Flatten(Say("webinar by:@bo")).find("co-host"), std::string::npos);
  EXPECT_NE(Flatten(Say("webinar since:2026-12-01")).find("1 lesson"), std::string::npos);
  EXPECT_NE(Flatten(Say("tag:events")).find("2 lessons"), std::string::npos);
  EXPECT_NE(Flatten(Say("webinar tag:email")).find("No lessons match"), std::string::npos);
}

TEST_P(EngineTest, ManyResultsOfferMore) {
  for (int i = 0; i < 7; ++i) Say("add Landing page test " + std::to_string(i) + " #landing-pages");
  Message m = Say("landing page");
  std::string all = Flatten(m);
  EXPECT_NE(all.find("7 lessons"), std::string::npos) << all;
  EXPECT_NE(all.find("2 more — refine with tag: or since:"), std::string::npos) << all;
  ASSERT_FALSE(m.sections.empty());
  const Button& more = m.sections.back().buttons.at(0);
  Inbound press = In("");
  press.event = ActionEvent{more.action_id, more.value};
  Reply next = engine_->Handle(press);
  ASSERT_TRUE(next.message);
  EXPECT_NE(Flatten(*next.message).find("(6–7)"), std::string::npos) << Flatten(*next.message);
}

TEST_P(EngineTest, EditAndDeleteOwnLessonsOnly) {
  Message saved = Say("add Discount codes in the subject hurt trust #offers");
  LessonId id = store_->SearchLessons(Query({"discount"})).value().hits.at(0).lesson.id;
  std::string sid = std::to_string(id);
  Message denied = Say("edit " + sid + " outcome:flopped", "web:bo");
  EXPECT_TRUE(denied.is_error);
  EXPECT_NE(denied.text.find("only its author or an admin"), std::string::npos);
  Message edited = Say("edit " + sid + " outcome:flopped #offers #email");
  EXPECT_FALSE(edited.is_error) << edited.text;
  EXPECT_NE(Flatten(edited).find("flopped · #offers #email"), std::string::npos);
  EXPECT_TRUE(Say("delete " + sid, "web:bo").is_error);
  Message admin = Say("delete " + sid, "web:boss");
  EXPECT_FALSE(admin.is_error) << admin.text;
  EXPECT_NE(Flatten(Say("discount")).find("No lessons match"), std::string::npos);
  EXPECT_TRUE(Say("delete " + sid).is_error);
}

TEST_P(EngineTest, RetriedAddIsStoredOnce) {
  Say("add Retries must not duplicate", "web:ana", "client-msg-1");
  Say("add Retries must not duplicate", "web:ana", "client-msg-1");
  EXPECT_EQ(*store_->CountLessons(ws_.id), 1);
}

TEST_P(EngineTest, BadInputGetsAClearMessage) {
  struct Case {
    std::string text;
    const char* expect;
  } cases[] = {
      {"search", "What should I look for?"},
      {"search x outcome:great", "outcome must be one of"},
      {"edit 999 outcome:worked", "there is no lesson #999"},
      {"add \xff\xfe broken", "UTF-8"},
      {"add " + std::string(13000, 'a'), "the limit is 12000"},
      {"help nope", "There is no command"},
      {"export md", "Only admins export the whole Book"},
  };
  for (const auto& c : cases) {
    Message m = Say(c.text);
    EXPECT_TRUE(m.is_error) << c.text;
    EXPECT_NE(m.text.find(c.expect), std::string::npos) << c.text.substr(0, 40) << " -> " << m.text;
  }
  EXPECT_EQ(*store_->CountLessons(ws_.id), 0);
}

TEST_P(EngineTest, TenKilobyteLessonIsKeptWhole) {
  std::string body(10 * 1024, 'b');
  Message m = Say("add Long post-mortem\n" + body);
  EXPECT_FALSE(m.is_error) << m.text;
  auto page = store_->SearchLessons(Query({"post-mortem"}));
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->hits.size(), 1u);
  EXPECT_EQ(page->hits[0].lesson.body, body);
}

TEST_P(EngineTest, FtsSyntaxInSearchIsHarmless) {
  Say("add NEAR the end of the quarter, budgets vanish #paid");
  for (const char* q : {"\"", "*", "NEAR", ")", ":", "budgets\"", "(budgets", "AND OR NOT",
                        "budgets*", "^budgets", "-budgets", "\"NEAR(budgets quarter)\""}) {
    Message m = Say(std::string("search ") + q);
    EXPECT_TRUE(m.text.find("Something went wrong") == std::string::npos) << q << ": " << m.text;
  }
  EXPECT_NE(Flatten(Say("budgets*")).find("1 lesson"), std::string::npos);
}

TEST_P(EngineTest, TypoedVerbGetsAHint) {
  Message m = Say("serach webinar");
  EXPECT_NE(m.text.find("Did you mean the command \"search\""), std::string::npos) << m.text;
}

TEST_P(EngineTest, AddWithoutTextOffersTheFormAndTheFormSaves) {
  Message form = Say("add");
  ASSERT_TRUE(form.form.has_value());
  EXPECT_EQ(form.form->form_id, "add_lesson");
  Inbound submit = In("");
  submit.event = FormSubmitEvent{"add_lesson", {{"text", ""}, {"outcome", "meh"}, {"tags", "bad tag!"}}, ""};
  Reply bad = engine_->Handle(submit);
  ASSERT_TRUE(bad.message);
  EXPECT_TRUE(bad.message->is_error);
  EXPECT_EQ(bad.message->input_errors.size(), 3u);
  submit.event = FormSubmitEvent{"add_lesson",
                                 {{"text", "Co-hosted webinars drew twice the audience"},
                                  {"outcome", "worked"},
                                  {"tags", "events, content"}},
                                 ""};
  Reply ok = engine_->Handle(submit);
  ASSERT_TRUE(ok.message);
  EXPECT_FALSE(ok.message->is_error) << ok.message->text;
  EXPECT_NE(Flatten(*ok.message).find("worked · #events #content"), std::string::npos);
}

TEST_P(EngineTest, ShareGoesThroughTheOutbox) {
  Say("add Shareable lesson #social");
  Message note = Say("search shareable --share", "web:ana", "req-9");
  EXPECT_EQ(note.text, "Shared with the channel.");
  auto rows = store_->ListOutbox(OutboxStatus::kPending, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].target, "web:general");
  auto decoded = DecodeMessage((*rows)[0].message);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->visibility, Visibility::kChannel);
  EXPECT_NE(Flatten(*decoded).find("Shareable lesson"), std::string::npos);
  Say("search shareable --share", "web:ana", "req-9");  // a retry of the same request
  EXPECT_EQ(store_->ListOutbox(OutboxStatus::kPending, 10)->size(), 1u);
}

TEST_P(EngineTest, UnknownWorkspaceIsAClearError) {
  Inbound in = In("help");
  in.workspace_id = 999;
  Reply r = engine_->Handle(in);
  ASSERT_TRUE(r.message);
  EXPECT_TRUE(r.message->is_error);
}

TEST_P(EngineTest, TheWorkspaceTheAdapterReadIsUsedAsItIsAndAnotherIdIsReadAgain) {
  Inbound in = In("settings");
  in.workspace = ws_;
  in.workspace->timezone = "Asia/Tokyo";  // as if read a moment ago, before a change
  EXPECT_NE(Flatten(engine_->Handle(in).message.value_or(Message{})).find("Asia/Tokyo"),
            std::string::npos);
  in.workspace->id = ws_.id + 1;  // not this command's workspace: the engine reads its own
  const std::string read = Flatten(engine_->Handle(in).message.value_or(Message{}));
  EXPECT_NE(read.find("Europe/Berlin"), std::string::npos) << read;
  EXPECT_EQ(read.find("Asia/Tokyo"), std::string::npos) << read;
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(EngineTest);

}  // namespace
}  // namespace lessonbook
