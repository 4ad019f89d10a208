// Store::SimilarLessons on both stores: scope, the lesson itself, FTS syntax in
// lesson text, the normalized score, and the pure term functions behind it.
#include <gtest/gtest.h>

#include "storage/sqlite/similarity.h"
#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

using sqlite::SignificantTerms;
using sqlite::Term;
using sqlite::TermSimilarity;

class StoreSimilarTest : public testing::StoreTest {};

std::vector<std::string> Stems(std::string_view text) {
  std::vector<std::string> out;
  for (const Term& t : SignificantTerms(text)) out.push_back(t.stem);
  return out;
}

TEST(SimilarityTermsTest, DropStopWordsNumbersAndRepeatsAndStemInflections) {
  EXPECT_EQ(Stems("We got 20% more opens with the subject lines"),
            (std::vector<std::string>{"open", "subject", "line"}));
  EXPECT_EQ(Stems("testing tested tests test"), std::vector<std::string>{"test"});
  EXPECT_EQ(Stems("Emails email EMAIL"), std::vector<std::string>{"email"});
  EXPECT_TRUE(Stems("the and of 2026 a").empty());
  EXPECT_TRUE(Stems("🎉 !!! …").empty());
}

TEST(SimilarityTermsTest, ScoreIsSymmetricBetweenZeroAndOne) {
  auto a = SignificantTerms("Free shipping beat a discount code");
  auto b = SignificantTerms("Discount code lost to free shipping in the holiday promotion");
  EXPECT_DOUBLE_EQ(TermSimilarity(a, b), TermSimilarity(b, a));
  EXPECT_GT(TermSimilarity(a, b), 0.5);
  EXPECT_LE(TermSimilarity(a, b), 1.0);
  EXPECT_DOUBLE_EQ(TermSimilarity(a, a), 1.0);
  EXPECT_DOUBLE_EQ(TermSimilarity(a, {}), 0.0);
  EXPECT_DOUBLE_EQ(TermSimilarity(a, SignificantTerms("Podcast attribution failed")), 0.0);
}

TEST_P(StoreSimilarTest, SimilarLessonsFindsTheSameIdeaButNotItselfNorOtherTopics) {
  const WorkspaceId ws = AddWorkspace("T1");
  Lesson shipping = Add(MakeLesson(ws, "Free shipping beat a 10% discount",
                                   "Free shipping converted better than the discount code."));
  Add(MakeLesson(ws, "Podcast sponsorships were hard to attribute"));
  Add(MakeLesson(ws, "Webinars on Tuesdays doubled sign-ups"));
  Lesson added = Add(MakeLesson(ws, "Customers prefer free shipping over discounts",
                                "Free shipping outperformed a percentage discount code."));
  auto similar = store_->SimilarLessons(added, 3, kSimilarityThreshold);
  ASSERT_TRUE(similar.ok()) << similar.status().ToString();
  ASSERT_EQ(similar->size(), 1u);
  EXPECT_EQ((*similar)[0].lesson.id, shipping.id);
  EXPECT_GT((*similar)[0].similarity, kSimilarityThreshold);
  EXPECT_LE((*similar)[0].similarity, 1.0);
}

TEST_P(StoreSimilarTest, SimilarLessonsStayInTheWorkspace) {
  const WorkspaceId ws = AddWorkspace("T1");
  const WorkspaceId other = AddWorkspace("T2");
  Add(MakeLesson(other, "Free shipping beat a 10% discount"));
  Lesson added = Add(MakeLesson(ws, "Free shipping beat a 10% discount"));
  auto similar = store_->SimilarLessons(added, 3, 0.0);
  ASSERT_TRUE(similar.ok());
  EXPECT_TRUE(similar->empty());
}

TEST_P(StoreSimilarTest, SimilarLessonsTreatFtsSyntaxInTheLessonAsPlainWords) {
  const WorkspaceId ws = AddWorkspace("T1");
  Lesson near = Add(MakeLesson(ws, "NEAR AND OR NOT subject \"lines\" ws:w1 {title}"));
  for (const char* text : {"\"subject\" NEAR(lines* AND) OR NOT ^ws:w2 {body} : (x", "\"", "*",
                           "ws:\"w999\" OR title:x", "AND OR NOT NEAR"}) {
    Lesson probe = MakeLesson(ws, text, "body: \"unbalanced (paren");
    auto similar = store_->SimilarLessons(probe, 3, 0.0);
    ASSERT_TRUE(similar.ok()) << text << ": " << similar.status().ToString();
    for (const SimilarLesson& s : *similar) EXPECT_EQ(s.lesson.workspace_id, ws);
  }
  auto found = store_->SimilarLessons(MakeLesson(ws, "subject lines NEAR"), 3, 0.0);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].lesson.id, near.id);
}

TEST_P(StoreSimilarTest, SimilarLessonsOfATextWithoutSignificantWordsIsEmpty) {
  const WorkspaceId ws = AddWorkspace("T1");
  Add(MakeLesson(ws, "We did it again and it was the best"));
  auto similar = store_->SimilarLessons(MakeLesson(ws, "We did it again", "and it was"), 3, 0.0);
  ASSERT_TRUE(similar.ok());
  EXPECT_TRUE(similar->empty());
}

TEST_P(StoreSimilarTest, SimilarLessonsScoreLongAndShortLessonsOnOneScale) {
  const WorkspaceId ws = AddWorkspace("T1");
  // The same idea, once in a line and once at length, must both clear the threshold.
  Add(MakeLesson(ws, "Plain-text emails got more replies than HTML emails"));
  Add(MakeLesson(ws, "Plain text outreach beat designed HTML on replies",
                 "We sent the outreach email in two versions: a branded HTML template and a plain "
                 "text email. The plain-text version got twice the replies."));
  Lesson added = Add(MakeLesson(ws, "Plain text emails get more replies than HTML templates"));
  auto similar = store_->SimilarLessons(added, 3, kSimilarityThreshold);
  ASSERT_TRUE(similar.ok());
  EXPECT_EQ(similar->size(), 2u);
  // Best first.
  for (size_t i = 1; i < similar->size(); ++i) {
    EXPECT_GE((*similar)[i - 1].similarity, (*similar)[i].similarity);
  }
}

TEST_P(StoreSimilarTest, SimilarLessonsHonoursTheLimit) {
  const WorkspaceId ws = AddWorkspace("T1");
  for (int i = 0; i < 6; ++i) Add(MakeLesson(ws, "Countdown timers raised flash sale conversion"));
  Lesson added = Add(MakeLesson(ws, "Countdown timers raised flash sale conversion"));
  auto similar = store_->SimilarLessons(added, 3, kSimilarityThreshold);
  ASSERT_TRUE(similar.ok());
  EXPECT_EQ(similar->size(), 3u);
}

// In a big Book, words half the lessons hold are left out of the candidate query (it would
// score nearly every lesson): the same idea is still found through its rarer words, and a lesson
// made only of frequent words still gets an answer, not an error.
TEST_P(StoreSimilarTest, FrequentWordsDoNotHideTheSameIdeaInABigBook) {
  const WorkspaceId ws = AddWorkspace("T1");
  std::vector<Lesson> filler;
  for (int i = 0; i < 400; ++i) {
    filler.push_back(MakeLesson(ws, "Email newsletter subject test number " + std::to_string(i),
                                "The email newsletter subject line was tested again."));
  }
  ASSERT_TRUE(store_->ImportLessons(filler).ok());
  Lesson shipping = Add(MakeLesson(ws, "Free shipping beat a discount in the email newsletter",
                                   "Free shipping converted better than the discount code."));
  Lesson added = Add(MakeLesson(ws, "Free shipping outperformed discounts in our newsletter",
                                "Email subscribers chose free shipping over a discount code."));
  auto similar = store_->SimilarLessons(added, 3, kSimilarityThreshold);
  ASSERT_TRUE(similar.ok()) << similar.status().ToString();
  ASSERT_FALSE(similar->empty());
  EXPECT_EQ((*similar)[0].lesson.id, shipping.id);

  Lesson only_frequent = Add(MakeLesson(ws, "Email newsletter subject"));
  auto frequent = store_->SimilarLessons(only_frequent, 3, kSimilarityThreshold);
  ASSERT_TRUE(frequent.ok()) << frequent.status().ToString();
  for (const SimilarLesson& s : *frequent) EXPECT_NE(s.lesson.id, only_frequent.id);
}

// With one workspace the SQLite store leaves the workspace scope out of the candidate query and
// gives bm25 the words' counts it has just taken; once another workspace has a lesson the scope
// is back in the MATCH and bm25 counts it. The same candidates must win either way: more match
// than are ranked (60), so the ranking decides which are compared.
TEST_P(StoreSimilarTest, SimilarLessonsAreTheSameWhenAnotherWorkspaceGetsLessons) {
  const WorkspaceId ws = AddWorkspace("T1");
  const std::vector<std::string> words = {"shipping", "discount", "coupon", "checkout",
                                          "cart",     "loyalty",  "bundle", "upsell",
                                          "referral", "voucher",  "margin", "abandonment"};
  std::vector<Lesson> book;
  for (int i = 0; i < 150; ++i) {
    std::string title = "Lesson " + std::to_string(i);
    std::string body;
    for (size_t w = 0; w < words.size(); ++w) {
      if ((i + 1) % (static_cast<int>(w) + 2) == 0) body += words[w] + " ";
    }
    body += i % 2 ? "in the spring promotion" : "for returning customers";
    book.push_back(MakeLesson(ws, title, body));
  }
  ASSERT_TRUE(store_->ImportLessons(book).ok());
  const Lesson added = Add(MakeLesson(ws, "Free shipping with a coupon at checkout",
                                      "Shipping, coupon, cart, voucher and bundle offers"));
  const auto before = store_->SimilarLessons(added, 20, 0.0);
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  ASSERT_EQ(before->size(), 20u);

  const WorkspaceId other = AddWorkspace("T2");
  Add(MakeLesson(other, "Podcast sponsorships were hard to attribute"));
  const auto after = store_->SimilarLessons(added, 20, 0.0);
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < before->size(); ++i) {
    EXPECT_EQ((*after)[i].lesson.id, (*before)[i].lesson.id) << "#" << i;
    EXPECT_DOUBLE_EQ((*after)[i].similarity, (*before)[i].similarity) << "#" << i;
  }
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreSimilarTest);

}  // namespace
}  // namespace lessonbook
