// Search replies: the count and the "more" line, for plain pages and for frequent words, where
// only the newest matches were ranked (SearchPage::ranked_among).
#include "bot/replies.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

SearchPage PageOf(int hits, int total, int ranked_among) {
  SearchPage page;
  page.total = total;
  page.ranked_among = ranked_among;
  for (int i = 0; i < hits; ++i) {
    SearchHit hit;
    hit.lesson.id = 100 + i;
    hit.lesson.title = "Lesson " + std::to_string(i);
    page.hits.push_back(hit);
  }
  return page;
}

std::string LastSectionText(const Message& m) {
  std::string out;
  for (const Span& s : m.sections.back().text) out += s.text;
  return out;
}

TEST(SearchReplyTest, AllMatchesRankedShowsTheExactCountAndWhatIsLeft) {
  Message m = SearchReply("seo", PageOf(5, 12, 0), 0, "UTC", "5\nseo");
  EXPECT_EQ(m.text, "12 lessons for \"seo\" (1–5):");
  ASSERT_EQ(m.sections.size(), 6u);
  EXPECT_EQ(LastSectionText(m), "7 more — refine with tag: or since:");
  ASSERT_EQ(m.sections.back().buttons.size(), 1u);
}

TEST(SearchReplyTest, FrequentWordsSayOnlyTheNewestWereRankedAndKeepTheExactCount) {
  Message m = SearchReply("launch", PageOf(5, 81759, 500), 0, "UTC", "5\nlaunch");
  EXPECT_EQ(m.text,
            "81759 lessons for \"launch\" (1–5) — these words are in so many lessons that only "
            "the newest 500 matches are ranked:");
  EXPECT_EQ(LastSectionText(m), "495 more of the newest 500 — refine with tag: or since:");
}

TEST(SearchReplyTest, FrequentWordsOfferNoMoreAfterTheLastRankedPage) {
  Message m = SearchReply("launch", PageOf(5, 81759, 500), 495, "UTC", "500\nlaunch");
  EXPECT_EQ(m.sections.size(), 5u);  // the hits, no "more" line or button
  EXPECT_NE(m.text.find("(496–500)"), std::string::npos) << m.text;
}

}  // namespace
}  // namespace lessonbook
