#include "bot/command_parser.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

template <typename T>
T As(const Result<ParsedCommand>& r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(std::holds_alternative<T>(r->command));
  return std::get<T>(r->command);
}

TEST(CommandParser, EmptyTextIsHelp) {
  EXPECT_EQ(As<HelpCommand>(ParseCommand("   ")).topic, "");
  EXPECT_EQ(As<HelpCommand>(ParseCommand("help search")).topic, "search");
}

TEST(CommandParser, PlainWordsAreASearch) {
  auto s = As<SearchCommand>(ParseCommand("subject lines"));
  EXPECT_EQ(s.words, (std::vector<std::string>{"subject", "lines"}));
}

TEST(CommandParser, SearchTakesEveryFilter) {
  auto s = As<SearchCommand>(ParseCommand(
      "search webinar tag:Email #paid outcome:flopped campaign:\"Q1 webinar\" by:<@U123|ana> "
      "since:2026-02-28 sort:evidence"));
  EXPECT_EQ(s.words, (std::vector<std::string>{"webinar"}));
  EXPECT_EQ(s.tags, (std::vector<std::string>{"email", "paid"}));
  EXPECT_EQ(s.outcome, Outcome::kFlopped);
  EXPECT_EQ(s.campaign, "Q1 webinar");
  EXPECT_EQ(s.by, "<@U123|ana>");
  EXPECT_EQ(s.since, "2026-02-28");
  EXPECT_EQ(s.sort, SearchSort::kEvidence);
}

TEST(CommandParser, CurlyQuotesGroupAPhrase) {
  auto s = As<SearchCommand>(ParseCommand("campaign:\xE2\x80\x9CQ1 webinar\xE2\x80\x9D leads"));
  EXPECT_EQ(s.campaign, "Q1 webinar");
  EXPECT_EQ(s.words, (std::vector<std::string>{"leads"}));
}

TEST(CommandParser, BadFiltersNameTheRightForm) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"search x outcome:great", "outcome:flopped"},
      {"search x since:2026-02-30", "YYYY-MM-DD"},
      {"search x since:yesterday", "YYYY-MM-DD"},
      {"search x sort:random", "sort:evidence"},
      {"search x tags:email", "did you mean tag:email"},
      {"search x author:ana", "by:@ana"},
      {"search x tag:", "#email"},
      {"search x by:", "by:@ana"},
      {"search x campaign:", "campaign:\"Q1 webinar\""},
      {"edit", "edit 42"},
      {"edit abc outcome:worked", "edit 42"},
      {"edit 42", "nothing to change"},
      {"delete", "delete 42"},
      {"delete 4 5", "delete 42"},
      {"delete -3", "delete 42"},
  };
  for (const auto& c : cases) {
    auto r = ParseCommand(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.text << " -> " << r.status().message();
  }
}

TEST(CommandParser, WordsWithColonsThatAreNotFiltersStayWords) {
  auto s = As<SearchCommand>(ParseCommand("ratio 3:1 https://example.com/x"));
  EXPECT_EQ(s.words.size(), 3u);
}

TEST(CommandParser, FtsSyntaxIsJustWords) {
  auto s = As<SearchCommand>(ParseCommand("\"unclosed * NEAR ) : AND"));
  EXPECT_FALSE(s.words.empty());
}

TEST(CommandParser, AddTakesTagsOutcomeAndKeepsTheText) {
  auto a = As<AddCommand>(ParseCommand(
      "add Subject lines with \"numbers\" got 20% more opens #Email outcome:worked "
      "campaign:\"Q1 newsletter\""));
  EXPECT_EQ(a.text, "Subject lines with \"numbers\" got 20% more opens");
  EXPECT_EQ(a.tags, (std::vector<std::string>{"email"}));
  EXPECT_EQ(a.outcome, Outcome::kWorked);
  EXPECT_EQ(a.campaign, "Q1 newsletter");
}

TEST(CommandParser, AddKeepsLineBreaksAndNumbersAfterHash) {
  auto a = As<AddCommand>(ParseCommand("add We were #1 in search\nfor two weeks #seo"));
  EXPECT_EQ(a.text, "We were #1 in search\nfor two weeks");
  EXPECT_EQ(a.tags, (std::vector<std::string>{"seo"}));
}

TEST(CommandParser, AddWithNoTextAsksForTheForm) {
  EXPECT_EQ(As<AddCommand>(ParseCommand("add")).text, "");
}

TEST(CommandParser, EditChangesOnlyWhatIsGiven) {
  auto e = As<EditCommand>(ParseCommand("edit #42 outcome:flopped"));
  EXPECT_EQ(e.id, 42);
  EXPECT_EQ(e.outcome, Outcome::kFlopped);
  EXPECT_FALSE(e.tags.has_value());
  EXPECT_TRUE(e.text.empty());
  auto e2 = As<EditCommand>(ParseCommand("edit 7 New words #paid"));
  EXPECT_EQ(e2.text, "New words");
  EXPECT_EQ(*e2.tags, (std::vector<std::string>{"paid"}));
}

TEST(CommandParser, ShareFlagIsTakenOut) {
  auto r = ParseCommand("search webinar --share");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->share);
  EXPECT_EQ(std::get<SearchCommand>(r->command).words, (std::vector<std::string>{"webinar"}));
}

TEST(CommandParser, NonUtf8IsRefused) {
  auto r = ParseCommand("search \xff\xfe");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("UTF-8"), std::string::npos);
}

TEST(CommandParser, BookAndExportAreTheirOwnCommands) {
  As<BookCommand>(ParseCommand("book"));
  ExportCommand e = As<ExportCommand>(ParseCommand("export MD webinar tag:email outcome:flopped"));
  EXPECT_EQ(e.format, "md");
  EXPECT_EQ(e.filter, "webinar tag:email outcome:flopped");
  EXPECT_EQ(e.search.words, (std::vector<std::string>{"webinar"}));
  EXPECT_EQ(e.search.tags, (std::vector<std::string>{"email"}));
  EXPECT_EQ(e.search.outcome, Outcome::kFlopped);
  EXPECT_EQ(As<ExportCommand>(ParseCommand("export jsonl")).filter, "");
  EXPECT_FALSE(ParseCommand("export").ok());
  EXPECT_FALSE(ParseCommand("export pdf").ok());
  EXPECT_FALSE(ParseCommand("export csv outcome:great").ok());
}

TEST(CommandParser, TagsAreValidated) {
  EXPECT_EQ(*NormalizeTag("#Landing-Pages"), "landing-pages");
  EXPECT_FALSE(NormalizeTag("#1").ok());
  EXPECT_FALSE(NormalizeTag("a b").ok());
  EXPECT_FALSE(NormalizeTag(std::string(41, 'a')).ok());
  EXPECT_FALSE(ParseCommand("add x tag:<script>").ok());
}

}  // namespace
}  // namespace lessonbook
