// `settings sections` through the engine: everyone sees the Book's chapters, only admins replace
// the list or restore the default, and bad lists are refused with the fix, leaving the list as it was.
#include <gtest/gtest.h>

#include "bot/digest.h"
#include "bot/engine.h"
#include "bot/local_time.h"
#include "bot/sections.h"
#include "storage/store.h"
#include "tests/support/message_text.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

class SettingsSectionsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Workspace w;
    w.platform = Platform::kWeb;
    w.external_id = "local";
    w.timezone = "UTC";
    w.admins = {"web:boss"};
    ws_ = *store_->EnsureWorkspace(w);
    engine_ = std::make_unique<Engine>(*store_, clock_);
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

  static bool Has(const Message& m, const std::string& needle) {
    return testing::MessageText(m).find(needle) != std::string::npos;
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  Workspace ws_;
  std::unique_ptr<Engine> engine_;
};

TEST_P(SettingsSectionsTest, EveryoneSeesTheListOnlyAdminsReplaceIt) {
  Message shown = Say("settings sections");
  EXPECT_FALSE(shown.is_error) << shown.text;
  EXPECT_TRUE(Has(shown, "(the default list)")) << shown.text;
  EXPECT_TRUE(Has(shown, "seo=\"SEO and keyphrases\", offers=\"Offers and promotions\", email=Email"));
  EXPECT_TRUE(Has(Say("settings"), "sections: seo=\"SEO and keyphrases\""));

  Message member = Say("settings sections ads=Ads");
  EXPECT_TRUE(member.is_error);
  EXPECT_TRUE(Has(member, "Only admins can change settings")) << member.text;
  EXPECT_EQ(WorkspaceSections(*store_, ws_.id), DefaultSections());

  Message set = Say("settings sections seo=\"SEO and keyphrases\", #Email=Email, "
                    "Landing-Pages=“Landing pages”", "web:boss");
  EXPECT_FALSE(set.is_error) << set.text;
  EXPECT_TRUE(Has(set, "now, in order: seo=\"SEO and keyphrases\", email=Email, "
                       "landing-pages=\"Landing pages\"")) << set.text;
  std::vector<BookSection> want = {
      {"seo", "SEO and keyphrases"}, {"email", "Email"}, {"landing-pages", "Landing pages"}};
  EXPECT_EQ(WorkspaceSections(*store_, ws_.id), want);

  Message after = Say("settings sections");  // a member may look
  EXPECT_FALSE(after.is_error);
  EXPECT_FALSE(Has(after, "default list"));
  EXPECT_TRUE(Has(after, "seo=\"SEO and keyphrases\", email=Email, landing-pages=\"Landing pages\""));
  EXPECT_TRUE(Has(Say("settings"), "sections: seo=\"SEO and keyphrases\", email=Email, landing"));

  EXPECT_TRUE(Say("settings sections default").is_error) << "members cannot restore it either";
  EXPECT_EQ(WorkspaceSections(*store_, ws_.id), want);
  Message reset = Say("settings sections DEFAULT", "web:boss");
  EXPECT_FALSE(reset.is_error) << reset.text;
  EXPECT_TRUE(Has(reset, "the default list again")) << reset.text;
  EXPECT_EQ(WorkspaceSections(*store_, ws_.id), DefaultSections());
  EXPECT_TRUE(Has(Say("settings sections"), "(the default list)"));
}

TEST_P(SettingsSectionsTest, BadListsAreRefusedWithTheFixAndChangeNothing) {
  ASSERT_FALSE(Say("settings sections ads=Ads, pr=PR", "web:boss").is_error);
  const std::vector<BookSection> before = WorkspaceSections(*store_, ws_.id);
  struct Case {
    std::string input;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"settings sections seo", "section \"seo\" needs a title, e.g. seo=\"Its chapter title\""},
      {"settings sections ads=Ads, ADS=Adverts", "\"ads\" is listed twice; keep one"},
      {"settings sections ads=Ads, paid=ads", "give each chapter its own title"},
      {"settings sections 2024=Old", "a tag is a word of letters"},
      {"settings sections ads=\"Ads", "a quote is not closed"},
      {"settings sections ,", "the list has no sections"},
  };
  for (const Case& c : cases) {
    Message m = Say(c.input, "web:boss");
    EXPECT_TRUE(m.is_error) << c.input;
    EXPECT_TRUE(Has(m, c.says)) << c.input << " -> " << m.text;
    EXPECT_TRUE(Has(m, "e.g. settings sections seo=\"SEO and keyphrases\", email=Email")) << m.text;
    EXPECT_EQ(WorkspaceSections(*store_, ws_.id), before) << c.input;
  }
  std::string many = "settings sections ";
  for (int i = 0; i < 31; ++i) many += "s" + std::to_string(i) + "=S" + std::to_string(i) + ", ";
  EXPECT_TRUE(Has(Say(many, "web:boss"), "at most 30"));
  EXPECT_TRUE(Has(Say("settings nonsense", "web:boss"), "admins or sections"));
}

TEST_P(SettingsSectionsTest, DigestChaptersFollowTheList) {
  ASSERT_FALSE(Say("settings sections events=\"Webinars and events\", email=Newsletters",
                   "web:boss").is_error);
  ASSERT_FALSE(Say("add Subject lines with numbers got more opens #email outcome:worked").is_error);
  ASSERT_FALSE(Say("add Co-hosted webinars doubled sign-ups #events outcome:worked").is_error);
  ASSERT_FALSE(Say("add Carousel posts beat single images #social outcome:insight").is_error);
  auto d = BuildDigest(*store_, ws_, clock_.Now() - std::chrono::hours(1),
                       clock_.Now() + std::chrono::hours(1), {}, std::chrono::seconds(0));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  std::string all = testing::MessageText(d->message);
  std::size_t events = all.find("Webinars and events (1)");
  std::size_t email = all.find("Newsletters (1)");
  std::size_t other = all.find("Other lessons (1)");
  ASSERT_NE(events, std::string::npos) << all;
  ASSERT_NE(email, std::string::npos) << all;
  ASSERT_NE(other, std::string::npos) << all;
  EXPECT_LT(events, email);
  EXPECT_LT(email, other);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(SettingsSectionsTest);

}  // namespace
}  // namespace lessonbook
