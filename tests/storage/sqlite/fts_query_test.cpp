#include "storage/sqlite/fts_query.h"

#include <gtest/gtest.h>

#include "storage/sqlite/snippet.h"
#include "storage/sqlite/text.h"

namespace lessonbook::sqlite {
namespace {

TEST(SqliteFtsQuery, QuotesWordsAndDoublesInternalQuotes) {
  EXPECT_EQ(QuoteFtsString("email"), "\"email\"");
  EXPECT_EQ(QuoteFtsString("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(QuoteFtsString(""), "\"\"");
}

TEST(SqliteFtsQuery, DropsWordsWithoutLettersOrDigits) {
  const std::vector<std::string> words = {"email", "*",  "\"",   ")",      "--",
                                          "🎉",     "🎉a", "café", "日本語", "4"};
  EXPECT_EQ(SearchableWords(words),
            (std::vector<std::string>{"email", "🎉a", "café", "日本語", "4"}));
}

TEST(SqliteFtsQuery, CleanTextReplacesInvalidUtf8AndControls) {
  EXPECT_EQ(CleanText("a\xff"
                      "b\x01"
                      "c"),
            "a b c");
  EXPECT_EQ(CleanText("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(CleanText("\xc3"), " ");            // truncated sequence
  EXPECT_EQ(CleanText("\xc0\xaf"), "  ");       // overlong '/'
  EXPECT_EQ(CleanText("\xed\xa0\x80"), "   ");  // surrogate
  EXPECT_EQ(ValidUtf8("a\xff\x01\nb"), "a\xEF\xBF\xBD\nb");
}

TEST(SqliteFtsQuery, ScopeOnlyWhenNoWordsAndNoFilters) {
  LessonQuery q;
  q.workspace_id = 12;
  LessonMatch m = BuildLessonMatch(q, {}, WordJoin::kAll);
  EXPECT_EQ(m.expression, "ws:\"w12\"");
  EXPECT_TRUE(m.scope_only);
}

TEST(SqliteFtsQuery, FiltersAndWordsGoInsideOneExpression) {
  LessonQuery q;
  q.workspace_id = 12;
  q.tags = {"#Email", "landing-pages"};
  q.outcome = Outcome::kWorked;
  q.campaign = "Spring launch";
  q.author = "U042";
  LessonMatch all = BuildLessonMatch(q, {"subject", "lines"}, WordJoin::kAll);
  EXPECT_EQ(all.expression,
            "ws:\"w12\" AND tags:\"email\" AND tags:\"landing-pages\" AND outcome:\"worked\" AND "
            "campaign:\"Spring launch\" AND author:\"U042\" AND {title body tags campaign} : "
            "(\"subject\" AND \"lines\")");
  EXPECT_FALSE(all.scope_only);
  LessonMatch any = BuildLessonMatch(q, {"subject", "lines"}, WordJoin::kAny);
  EXPECT_NE(any.expression.find("(\"subject\" OR \"lines\")"), std::string::npos);
}

TEST(SqliteFtsQuery, OmittedScopeLeavesFiltersAndWordsAsTheyAre) {
  LessonQuery q;
  q.workspace_id = 12;
  q.outcome = Outcome::kWorked;
  EXPECT_EQ(BuildLessonMatch(q, {"subject"}, WordJoin::kAll, WorkspaceScope::kOmitted).expression,
            "outcome:\"worked\" AND {title body tags campaign} : (\"subject\")");
  q.outcome.reset();
  LessonMatch words = BuildLessonMatch(q, {"subject"}, WordJoin::kAll, WorkspaceScope::kOmitted);
  EXPECT_EQ(words.expression, "{title body tags campaign} : (\"subject\")");
  EXPECT_FALSE(words.scope_only);
  LessonMatch none = BuildLessonMatch(q, {}, WordJoin::kAll, WorkspaceScope::kOmitted);
  EXPECT_EQ(none.expression, "");
  EXPECT_TRUE(none.scope_only);
}

TEST(SqliteFtsQuery, WordsInAnyColumnGoWithoutTheColumnFilterAndFiltersKeepTheirs) {
  LessonQuery q;
  q.workspace_id = 12;
  q.outcome = Outcome::kWorked;
  EXPECT_EQ(BuildLessonMatch(q, {"subject", "lines"}, WordJoin::kAll, WorkspaceScope::kInMatch,
                             WordColumns::kAnyColumn)
                .expression,
            "ws:\"w12\" AND outcome:\"worked\" AND (\"subject\" AND \"lines\")");
  LessonQuery words_only;
  words_only.workspace_id = 12;
  EXPECT_EQ(BuildLessonMatch(words_only, {"subject", "lines"}, WordJoin::kAny,
                             WorkspaceScope::kOmitted, WordColumns::kAnyColumn)
                .expression,
            "(\"subject\" OR \"lines\")");
  EXPECT_EQ(OutsideTextMatch("say \"hi\""), "{ws outcome author} : \"say \"\"hi\"\"\"");
}

TEST(SqliteFtsQuery, FtsSyntaxInWordsStaysInsideStrings) {
  LessonQuery q;
  q.workspace_id = 1;
  LessonMatch m = BuildLessonMatch(q, {"a\"b", "NEAR(", "x:y", "*"}, WordJoin::kAll);
  EXPECT_EQ(m.expression,
            "ws:\"w1\" AND {title body tags campaign} : (\"a\"\"b\" AND \"NEAR(\" AND \"x:y\" AND "
            "\"*\")");
}

TEST(SqliteFtsQuery, AuthorAndTagWithoutLettersStayOutOfTheMatch) {
  LessonQuery q;
  q.workspace_id = 3;
  q.author = "***";
  q.tags = {"+++"};
  EXPECT_TRUE(BuildLessonMatch(q, {}, WordJoin::kAll).scope_only);
}

TEST(SqliteFtsQuery, NormalizeTagLowersAndDropsHash) {
  EXPECT_EQ(NormalizeTag("#Landing Pages"), "landing-pages");
  EXPECT_EQ(NormalizeTag("##SEO"), "seo");
}

TEST(SqliteSnippet, SplitsMarkedText) {
  const std::string marked = std::string("Use ") + kHighlightOpen + "short" + kHighlightClose +
                             " subject " + kHighlightOpen + "lines" + kHighlightClose + "…";
  std::vector<SnippetPart> parts = SplitSnippet(marked);
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0].text, "Use ");
  EXPECT_FALSE(parts[0].highlighted);
  EXPECT_EQ(parts[1].text, "short");
  EXPECT_TRUE(parts[1].highlighted);
  EXPECT_EQ(parts[3].text, "lines");
  EXPECT_EQ(parts[4].text, "…");
  EXPECT_TRUE(SplitSnippet("").empty());
}

TEST(SqliteSnippet, PlainSnippetCutsAfterMaxWords) {
  std::vector<SnippetPart> parts = PlainSnippet("one  two\nthree four", 3);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].text, "one two three…");
  EXPECT_EQ(PlainSnippet("one two", 3)[0].text, "one two");
  EXPECT_TRUE(PlainSnippet("   ", 3).empty());
}

}  // namespace
}  // namespace lessonbook::sqlite
