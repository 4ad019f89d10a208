// `book` and `export` through the engine: private signed links that open the asker's workspace,
// with the format and filters inside the signature; members export searches, admins everything.
#include <gtest/gtest.h>

#include "bot/book_link.h"
#include "bot/engine.h"
#include "bot/local_time.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

const std::string kKey(32, 'e');

class BookCommandsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kWeb;
    w.external_id = "local";
    w.timezone = "Europe/Berlin";
    w.admins = {"web:boss"};
    ws_ = *store_->EnsureWorkspace(w);
    EngineOptions o;
    o.book_links.key = kKey;
    o.book_links.base_url = "https://lessons.example.com/";
    engine_ = std::make_unique<Engine>(*store_, clock_, o);
  }

  Message Say(const std::string& text, const std::string& user = "web:ana") {
    Inbound in;
    in.workspace_id = ws_.id;
    in.platform = Platform::kWeb;
    in.user_id = user;
    in.channel_id = "web:general";
    in.reply_to = "web:general";
    in.event = CommandEvent{text};
    Reply r = engine_->Handle(in);
    EXPECT_TRUE(r.message.has_value());
    return r.message.value_or(Message{});
  }

  // The token of the link in the message after `prefix`.
  static std::string TokenAfter(const std::string& text, const std::string& prefix) {
    std::size_t at = text.find(prefix);
    if (at == std::string::npos) return "";
    std::size_t b = at + prefix.size();
    std::size_t e = text.find_first_of(" \n", b);
    return text.substr(b, e == std::string::npos ? std::string::npos : e - b);
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(BookCommandsTest, BookAnswersPrivatelyWithAPersonalSevenDayLink) {
  Message m = Say("book");
  EXPECT_FALSE(m.is_error) << m.text;
  EXPECT_EQ(m.visibility, Visibility::kPrivate);
  EXPECT_NE(m.text.find("valid 7 days, until 2026-11-30"), std::string::npos) << m.text;
  const std::string token = TokenAfter(m.text, "https://lessons.example.com/book?t=");
  ASSERT_FALSE(token.empty()) << m.text;
  auto claims = VerifyBookLink(token, kKey, clock_.Now());
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->kind, BookLinkKind::kBook);
  EXPECT_EQ(claims->workspace_id, ws_.id);
  EXPECT_EQ(claims->workspace_external_id, "local");
  EXPECT_EQ(claims->user_id, "web:ana");
  EXPECT_FALSE(VerifyBookLink(token, kKey, clock_.Now() + std::chrono::hours(24 * 7)).ok());
  // --share never posts a personal link to the channel.
  EXPECT_EQ(Say("book --share").visibility, Visibility::kPrivate);
}

TEST_P(BookCommandsTest, ExportSignsTheFormatAndTheFiltersAsTyped) {
  Message m = Say("export md tag:email outcome:worked");
  EXPECT_FALSE(m.is_error) << m.text;
  EXPECT_EQ(m.visibility, Visibility::kPrivate);
  const std::string token = TokenAfter(m.text, "https://lessons.example.com/book/export?t=");
  auto claims = VerifyBookLink(token, kKey, clock_.Now());
  ASSERT_TRUE(claims.ok()) << m.text;
  EXPECT_EQ(claims->kind, BookLinkKind::kExport);
  EXPECT_EQ(claims->format, "md");
  EXPECT_EQ(claims->filter, "tag:email outcome:worked");
  EXPECT_EQ(claims->user_id, "web:ana");
}

TEST_P(BookCommandsTest, MembersMustFilterAnExportAdminsMayTakeEverything) {
  Message member = Say("export csv");
  EXPECT_TRUE(member.is_error);
  EXPECT_NE(member.text.find("Only admins export the whole Book"), std::string::npos) << member.text;
  EXPECT_EQ(member.text.find("/book/export"), std::string::npos);
  Message admin = Say("export csv", "web:boss");
  EXPECT_FALSE(admin.is_error) << admin.text;
  EXPECT_NE(admin.text.find("of the whole Book"), std::string::npos);
  EXPECT_NE(admin.text.find("/book/export?t="), std::string::npos);
}

TEST_P(BookCommandsTest, BadExportFormatsAndFiltersSayHowToFixThem) {
  EXPECT_NE(Say("export").text.find("export needs a format: md, csv or jsonl"), std::string::npos);
  EXPECT_NE(Say("export pdf").text.find("md, csv or jsonl"), std::string::npos);
  Message bad = Say("export md outcome:great");
  EXPECT_TRUE(bad.is_error);
  EXPECT_NE(bad.text.find("outcome must be one of"), std::string::npos) << bad.text;
  EXPECT_TRUE(Say("book now please").is_error);
}

TEST_P(BookCommandsTest, WithoutAKeyOrAddressTheAnswerSaysWhatToSet) {
  Engine bare(*store_, clock_);
  Inbound in;
  in.workspace_id = ws_.id;
  in.user_id = "web:ana";
  in.event = CommandEvent{"book"};
  Reply r = bare.Handle(in);
  ASSERT_TRUE(r.message);
  EXPECT_TRUE(r.message->is_error);
  EXPECT_NE(r.message->text.find("LESSONBOOK_PUBLIC_URL"), std::string::npos);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(BookCommandsTest);

}  // namespace
}  // namespace lessonbook
