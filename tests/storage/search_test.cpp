// Full-text search: words, filters, ranking, snippets, tenant isolation and hostile input.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "storage/sqlite/word_rows.h"
#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

using testing::T;

class StoreSearchTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ws_ = AddWorkspace("T1");
  }

  LessonQuery Query(std::vector<std::string> words) const {
    LessonQuery q;
    q.workspace_id = ws_;
    q.words = std::move(words);
    q.limit = 50;
    return q;
  }

  SearchPage Search(const LessonQuery& q) {
    Result<SearchPage> page = store_->SearchLessons(q);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? *page : SearchPage{};
  }

  std::vector<std::string> Titles(const LessonQuery& q) {
    std::vector<std::string> titles;
    for (const SearchHit& h : Search(q).hits) titles.push_back(h.lesson.title);
    return titles;
  }

  // Each query searched three times (the first in SQL, then from the words' kept rows, another
  // page each time so the page cache does not answer): FTS5's own bm25 page every time, ids and
  // scores bit for bit. scope: the workspace scope of the MATCH when it has one.
  void ExpectBm25Pages(const std::vector<std::vector<std::string>>& queries,
                       const std::string& scope, int min_total) {
    SQLite::Database db(Location(), SQLite::OPEN_READONLY);
    for (const std::vector<std::string>& words : queries) {
      for (int round = 0; round < 3; ++round) {  // the first in SQL, then from the kept rows
        LessonQuery q = Query(words);
        q.limit = 8 + round;
        q.offset = round;
        SearchPage page = Search(q);
        ASSERT_GE(page.total, min_total);
        std::string match = scope + "{title body tags campaign} : (";
        for (size_t i = 0; i < words.size(); ++i) match += (i ? " AND \"" : "\"") + words[i] + "\"";
        match += ")";
        const std::string bound =
            page.ranked_among > 0 ? "AND rowid >= (SELECT rowid FROM lessons_fts WHERE "
                                    "lessons_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET 499) "
                                  : "";
        SQLite::Statement s(db, "SELECT rowid, rank FROM lessons_fts WHERE lessons_fts MATCH ?1 " +
                                    bound + "ORDER BY rank, rowid LIMIT ?2 OFFSET ?3");
        s.bind(1, match);
        s.bind(2, q.limit);
        s.bind(3, q.offset);
        size_t i = 0;
        for (; s.executeStep(); ++i) {
          ASSERT_LT(i, page.hits.size()) << match << " round " << round;
          EXPECT_EQ(page.hits[i].lesson.id, s.getColumn(0).getInt64())
              << match << " round " << round << " #" << i;
          EXPECT_EQ(page.hits[i].score, s.getColumn(1).getDouble())
              << match << " round " << round << " #" << i;
        }
        EXPECT_EQ(i, page.hits.size()) << match << " round " << round;
        SQLite::Statement count(db, "SELECT count(*) FROM lessons_fts WHERE lessons_fts MATCH ?");
        count.bind(1, match);
        count.executeStep();
        EXPECT_EQ(page.total, count.getColumn(0).getInt()) << match << " round " << round;
      }
    }
  }

  // The page's hits are exactly the rows of sql (?1 = match): ids and scores, in order. For
  // comparing the store's ranking with FTS5's own `rank`.
  static void ExpectHitsAreFts5Rows(const SearchPage& page, SQLite::Database& db,
                                    const std::string& sql, const std::string& match) {
    SQLite::Statement s(db, sql);
    s.bind(1, match);
    size_t i = 0;
    while (s.executeStep()) {
      ASSERT_LT(i, page.hits.size()) << match;
      EXPECT_EQ(page.hits[i].lesson.id, s.getColumn(0).getInt64()) << match << " #" << i;
      EXPECT_DOUBLE_EQ(page.hits[i].score, s.getColumn(1).getDouble()) << match << " #" << i;
      ++i;
    }
    EXPECT_EQ(i, page.hits.size()) << match;
  }

  static std::string Highlighted(const SearchHit& hit) {
    std::string out;
    for (const SnippetPart& p : hit.snippet) {
      if (p.highlighted) out += "[" + p.text + "]";
    }
    return out;
  }

  WorkspaceId ws_ = 0;
};

TEST_P(StoreSearchTest, FindsWordsWithPorterStemming) {
  Add(MakeLesson(ws_, "Email cadence", "Send one email a week."));
  Add(MakeLesson(ws_, "Landing pages", "Hero images matter."));
  EXPECT_EQ(Titles(Query({"emails"})), (std::vector<std::string>{"Email cadence"}));
  EXPECT_EQ(Titles(Query({"sending"})), (std::vector<std::string>{"Email cadence"}));
  EXPECT_EQ(Titles(Query({"EMAIL"})), (std::vector<std::string>{"Email cadence"}));
  EXPECT_TRUE(Titles(Query({"webinar"})).empty());
}

TEST_P(StoreSearchTest, AllWordsMustMatchElseFallsBackToAnyWord) {
  Add(MakeLesson(ws_, "Subject lines", "Short subject lines win."));
  Add(MakeLesson(ws_, "Subject of pricing", "Discounts."));
  SearchPage all = Search(Query({"subject", "lines"}));
  EXPECT_EQ(all.total, 1);
  EXPECT_FALSE(all.any_words);
  SearchPage any = Search(Query({"subject", "webinar"}));
  EXPECT_EQ(any.total, 2);
  EXPECT_TRUE(any.any_words);
  SearchPage none = Search(Query({"webinar"}));
  EXPECT_EQ(none.total, 0);
  EXPECT_FALSE(none.any_words);
}

TEST_P(StoreSearchTest, TitleMatchRanksAboveOneMentionInALongBody) {
  std::string long_body = "A long story about pricing. ";
  for (int i = 0; i < 40; ++i) long_body += "Many words about other things entirely. ";
  long_body += "Once we mention webinar here.";
  Add(MakeLesson(ws_, "Pricing story", long_body));
  Add(MakeLesson(ws_, "Webinar timing", "Tuesdays work best."));
  SearchPage page = Search(Query({"webinar"}));
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].lesson.title, "Webinar timing");
  EXPECT_LT(page.hits[0].score, page.hits[1].score);  // bm25: lower is better
}

TEST_P(StoreSearchTest, SnippetHighlightsMatchedWordsInTheBody) {
  Add(MakeLesson(ws_, "Emails",
                 "We learned that short subject lines beat long ones in every test."));
  Add(MakeLesson(ws_, "Subject only in title"));
  SearchPage page = Search(Query({"subject", "lines"}));
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(Highlighted(page.hits[0]), "[subject][lines]");
  std::string text;
  for (const SnippetPart& p : page.hits[0].snippet) text += p.text;
  EXPECT_NE(text.find("short subject lines beat"), std::string::npos) << text;

  SearchPage title_only = Search(Query({"title"}));
  ASSERT_EQ(title_only.hits.size(), 1u);
  EXPECT_EQ(Highlighted(title_only.hits[0]), "[title]");  // empty body: snippet of the title
}

TEST_P(StoreSearchTest, LongBodySnippetIsShortWithEllipsis) {
  std::string body;
  for (int i = 0; i < 100; ++i) body += "filler" + std::to_string(i) + " ";
  body += "needle ";
  for (int i = 0; i < 100; ++i) body += "tail" + std::to_string(i) + " ";
  Add(MakeLesson(ws_, "Long", body));
  SearchPage page = Search(Query({"needle"}));
  ASSERT_EQ(page.hits.size(), 1u);
  std::string text;
  for (const SnippetPart& p : page.hits[0].snippet) text += p.text;
  EXPECT_LT(text.size(), 200u);
  EXPECT_NE(text.find("…"), std::string::npos);
  EXPECT_EQ(Highlighted(page.hits[0]), "[needle]");
}

// Words match the title, body, tags and campaign only: a word that is also an outcome, an author
// or the workspace scope's token finds only the lessons that hold it in their text, before and
// after a lesson brings it into the author column (SQLite drops the column filter only while no
// lesson holds a search word outside the text, counted again after every lesson write).
TEST_P(StoreSearchTest, WordsOutsideTheTextColumnsFindOnlyLessonsWithThemInTheText) {
  Lesson a = MakeLesson(ws_, "Subject lines", "Short ones", {"email"}, Outcome::kWorked, 1000);
  a.author = "U0ANA0001";
  Lesson b = MakeLesson(ws_, "What worked for webinars", "Zed reminders", {"events"},
                        Outcome::kFlopped, 2000);
  b.author = "U0BEN0002";
  Add(a);
  Add(b);
  const auto total = [&](const std::string& word) { return Search(Query({word})).total; };
  EXPECT_EQ(Titles(Query({"worked"})), (std::vector<std::string>{"What worked for webinars"}));
  EXPECT_EQ(total("worked"), 1);
  EXPECT_EQ(total("U0ANA0001"), 0);
  EXPECT_EQ(total("w" + std::to_string(ws_)), 0);
  EXPECT_EQ(total("zed"), 1);  // in the text only: the column filter may go
  Lesson c = MakeLesson(ws_, "Landing pages", "Hero images", {"seo"}, Outcome::kInsight, 3000);
  c.author = "zed";
  Add(c);
  EXPECT_EQ(Titles(Query({"zed"})), (std::vector<std::string>{"What worked for webinars"}));
  EXPECT_EQ(total("zed"), 1);
  EXPECT_EQ(Titles(Query({"zed", "webinars"})),
            (std::vector<std::string>{"What worked for webinars"}));
}

TEST_P(StoreSearchTest, FiltersByTagOutcomeCampaignAuthorAndSince) {
  Lesson a = MakeLesson(ws_, "Email A", "", {"email", "testing"}, Outcome::kWorked, 1000);
  a.campaign = "Spring Launch 2024";
  a.author = "U1";
  Lesson b = MakeLesson(ws_, "Email B", "", {"email"}, Outcome::kFlopped, 2000);
  b.campaign = "Autumn sale";
  b.author = "U2";
  Lesson c = MakeLesson(ws_, "Landing C", "", {"landing-pages"}, Outcome::kWorked, 3000);
  c.author = "U10";
  Add(a);
  Add(b);
  Add(c);

  LessonQuery by_tag = Query({});
  by_tag.tags = {"email"};
  EXPECT_EQ(Titles(by_tag), (std::vector<std::string>{"Email B", "Email A"}));  // newest first
  by_tag.tags = {"#Email", "testing"};
  EXPECT_EQ(Titles(by_tag), (std::vector<std::string>{"Email A"}));
  by_tag.tags = {"pages"};  // part of "landing-pages" is not the tag
  EXPECT_TRUE(Titles(by_tag).empty());
  by_tag.tags = {"landing-pages"};
  EXPECT_EQ(Titles(by_tag), (std::vector<std::string>{"Landing C"}));

  LessonQuery by_outcome = Query({});
  by_outcome.outcome = Outcome::kWorked;
  EXPECT_EQ(Titles(by_outcome), (std::vector<std::string>{"Landing C", "Email A"}));

  LessonQuery by_campaign = Query({});
  by_campaign.campaign = "spring launch";
  EXPECT_EQ(Titles(by_campaign), (std::vector<std::string>{"Email A"}));
  by_campaign.campaign = "launch spring";  // a phrase, not a bag of words
  EXPECT_TRUE(Titles(by_campaign).empty());
  by_campaign.campaign = "!!!";
  EXPECT_TRUE(Titles(by_campaign).empty());

  LessonQuery by_author = Query({});
  by_author.author = "U1";  // exact: not U10
  EXPECT_EQ(Titles(by_author), (std::vector<std::string>{"Email A"}));

  LessonQuery since = Query({});
  since.since = T(2000);
  EXPECT_EQ(Titles(since), (std::vector<std::string>{"Landing C", "Email B"}));

  LessonQuery combined = Query({"email"});
  combined.tags = {"email"};
  combined.outcome = Outcome::kFlopped;
  combined.since = T(1500);
  combined.author = "U2";
  combined.campaign = "autumn";
  SearchPage page = Search(combined);
  EXPECT_EQ(page.total, 1);
  ASSERT_EQ(page.hits.size(), 1u);
  EXPECT_EQ(page.hits[0].lesson.title, "Email B");
}

// A listing by filters alone is paged newest first with exact filters, whether the store walks
// its newest-first index (a filter most lessons match) or joins and sorts the matches (a rare
// one); "paid-social" holds the phrase "paid" but is not the tag "paid".
TEST_P(StoreSearchTest, FilteredListingsArePagedNewestFirstAndCountedExactly) {
  struct Expected {
    std::vector<std::string> paid, paid_since, rare, flopped;
  } expected;
  for (int i = 0; i < 60; ++i) {
    std::vector<std::string> tags;
    if (i % 2 == 0) tags.push_back("paid");
    if (i % 2 == 1 && i % 5 == 0) tags.push_back("paid-social");
    if (i == 3 || i == 40) tags.push_back("rare-tag");
    const Outcome outcome = i % 3 == 0 ? Outcome::kFlopped : Outcome::kWorked;
    const std::string title = "Lesson " + std::to_string(i);
    Add(MakeLesson(ws_, title, "body of " + title, tags, outcome, 1000 + 10 * i));
    auto front = [&](std::vector<std::string>& v) { v.insert(v.begin(), title); };
    if (i % 2 == 0) front(expected.paid);
    if (i % 2 == 0 && 1000 + 10 * i >= 1300) front(expected.paid_since);
    if (i == 3 || i == 40) front(expected.rare);
    if (i % 3 == 0) front(expected.flopped);
  }
  auto all_pages = [&](LessonQuery q, std::size_t expected_total) {
    std::vector<std::string> titles;
    q.limit = 5;
    for (q.offset = 0; q.offset < 40; q.offset += 5) {
      SearchPage page = Search(q);
      EXPECT_EQ(page.total, static_cast<int>(expected_total)) << "offset " << q.offset;
      for (const SearchHit& h : page.hits) titles.push_back(h.lesson.title);
    }
    return titles;
  };
  LessonQuery paid = Query({});
  paid.tags = {"paid"};
  EXPECT_EQ(all_pages(paid, expected.paid.size()), expected.paid);
  paid.since = T(1300);
  EXPECT_EQ(all_pages(paid, expected.paid_since.size()), expected.paid_since);
  LessonQuery rare = Query({});
  rare.tags = {"rare-tag"};
  EXPECT_EQ(all_pages(rare, expected.rare.size()), expected.rare);
  LessonQuery flopped = Query({});
  flopped.outcome = Outcome::kFlopped;
  EXPECT_EQ(all_pages(flopped, expected.flopped.size()), expected.flopped);
  // Tags with other filters: another tag, outcome, author, until.
  LessonQuery paid_flops = Query({});
  paid_flops.tags = {"paid"};
  paid_flops.outcome = Outcome::kFlopped;
  paid_flops.until = T(1400);
  std::vector<std::string> paid_flops_expected;
  for (int i = 38; i >= 0; --i) {
    if (i % 2 == 0 && i % 3 == 0) paid_flops_expected.push_back("Lesson " + std::to_string(i));
  }
  EXPECT_EQ(all_pages(paid_flops, paid_flops_expected.size()), paid_flops_expected);
  LessonQuery two_tags = Query({});
  two_tags.tags = {"rare-tag", "paid"};  // lesson 3 has rare-tag but not paid
  EXPECT_EQ(all_pages(two_tags, 1), std::vector<std::string>{"Lesson 40"});
  two_tags.tags = {"paid-social", "rare-tag"};
  EXPECT_EQ(all_pages(two_tags, 0), std::vector<std::string>{});
  LessonQuery by_author = Query({});
  by_author.tags = {"paid"};
  by_author.author = "U1";  // every lesson's author
  EXPECT_EQ(all_pages(by_author, expected.paid.size()), expected.paid);
  by_author.author = "U";
  EXPECT_EQ(all_pages(by_author, 0), std::vector<std::string>{});
}

TEST_P(StoreSearchTest, NoWordsNoFiltersListsNewestFirstWithPlainSnippet) {
  Add(MakeLesson(ws_, "Old", "old body", {}, Outcome::kInsight, 1000));
  Add(MakeLesson(ws_, "New", "new body", {}, Outcome::kInsight, 2000));
  SearchPage page = Search(Query({}));
  EXPECT_EQ(page.total, 2);
  ASSERT_EQ(page.hits.size(), 2u);
  EXPECT_EQ(page.hits[0].lesson.title, "New");
  ASSERT_EQ(page.hits[0].snippet.size(), 1u);
  EXPECT_EQ(page.hits[0].snippet[0].text, "new body");
  EXPECT_FALSE(page.hits[0].snippet[0].highlighted);
}

TEST_P(StoreSearchTest, SortsByEvidenceAndNewest) {
  Lesson weak = MakeLesson(ws_, "Webinar weak", "", {}, Outcome::kInsight, 3000);
  Lesson strong = MakeLesson(ws_, "Webinar strong", "webinar webinar", {}, Outcome::kInsight, 1000);
  strong.confirmations = 5;
  strong.contradictions = 1;
  Lesson refuted = MakeLesson(ws_, "Webinar refuted", "", {}, Outcome::kInsight, 2000);
  refuted.contradictions = 3;
  Add(weak);
  Add(strong);
  Add(refuted);
  LessonQuery q = Query({"webinar"});
  q.sort = SearchSort::kEvidence;
  EXPECT_EQ(Titles(q),
            (std::vector<std::string>{"Webinar strong", "Webinar weak", "Webinar refuted"}));
  q.sort = SearchSort::kNewest;
  EXPECT_EQ(Titles(q),
            (std::vector<std::string>{"Webinar weak", "Webinar refuted", "Webinar strong"}));
}

TEST_P(StoreSearchTest, LimitAndOffsetPageThroughAllMatches) {
  for (int i = 0; i < 12; ++i) Add(MakeLesson(ws_, "Tip " + std::to_string(i), "seo tip"));
  LessonQuery q = Query({"seo"});
  q.limit = 5;
  std::set<LessonId> seen;
  for (int offset = 0; offset < 15; offset += 5) {
    q.offset = offset;
    SearchPage page = Search(q);
    EXPECT_EQ(page.total, 12);
    EXPECT_EQ(page.hits.size(), offset == 10 ? 2u : 5u);
    for (const SearchHit& h : page.hits) seen.insert(h.lesson.id);
  }
  EXPECT_EQ(seen.size(), 12u);
  q.limit = 0;
  EXPECT_TRUE(Search(q).hits.empty());
  q.limit = -3;
  q.offset = -1;
  EXPECT_EQ(Search(q).total, 12);
}

// A relevance search's total (on SQLite counted by lb_bm25 while it scores) is exact with
// filters checked on the lessons, past the last page, with words in another workspace, and when
// all words fall back to any word.
TEST_P(StoreSearchTest, RelevanceTotalIsExactWithFiltersPastTheLastPageAndOnFallback) {
  const WorkspaceId other = AddWorkspace("T2");
  for (int i = 0; i < 9; ++i) {
    Lesson l = MakeLesson(ws_, "Promo " + std::to_string(i), "spring promo code",
                          {i % 3 == 0 ? "email" : "social"}, Outcome::kWorked, 1000 + i * 100);
    l.author = i % 2 == 0 ? "U1" : "U2";
    Add(l);
    Add(MakeLesson(other, "Promo elsewhere " + std::to_string(i), "spring promo code"));
  }
  LessonQuery q = Query({"promo"});
  q.limit = 2;
  EXPECT_EQ(Search(q).total, 9);
  q.tags = {"email"};
  EXPECT_EQ(Search(q).total, 3);  // lessons 0, 3, 6
  q.author = "U1";
  SearchPage page = Search(q);
  EXPECT_EQ(page.total, 2);  // 0 and 6
  EXPECT_EQ(page.hits.size(), 2u);
  q.offset = 5;  // past the last page: no hits, the same total
  page = Search(q);
  EXPECT_EQ(page.total, 2);
  EXPECT_TRUE(page.hits.empty());
  LessonQuery any = Query({"promo", "nowhere"});  // no lesson has both: any word
  any.limit = 3;
  page = Search(any);
  EXPECT_TRUE(page.any_words);
  EXPECT_EQ(page.total, 9);
  EXPECT_EQ(page.hits.size(), 3u);
}

TEST_P(StoreSearchTest, DeletedAndEditedLessonsLeaveTheIndex) {
  Lesson l = Add(MakeLesson(ws_, "Retargeting ads", "Cap the frequency."));
  EXPECT_EQ(Search(Query({"frequency"})).total, 1);
  l.body = "Rotate creatives.";
  ASSERT_TRUE(store_->UpdateLesson(l).ok());
  EXPECT_EQ(Search(Query({"frequency"})).total, 0);
  EXPECT_EQ(Search(Query({"creatives"})).total, 1);
  ASSERT_TRUE(store_->DeleteLesson(ws_, l.id).ok());
  EXPECT_EQ(Search(Query({"creatives"})).total, 0);
  EXPECT_EQ(Search(Query({"retargeting"})).total, 0);
}

TEST_P(StoreSearchTest, TenantIsolationUnderTenThousandMatchingLessons) {
  const WorkspaceId other = AddWorkspace("BIG");
  std::vector<Lesson> big;
  for (int i = 0; i < 10000; ++i) {
    big.push_back(MakeLesson(other, "Email subject lines " + std::to_string(i),
                             "email subject lines work", {"email"}));
  }
  ASSERT_TRUE(store_->ImportLessons(big).ok());
  for (int i = 0; i < 3; ++i)
    Add(MakeLesson(ws_, "Ours " + std::to_string(i), "email subject lines"));
  LessonQuery q = Query({"email", "subject", "lines"});
  q.limit = 10;
  SearchPage page = Search(q);
  EXPECT_EQ(page.total, 3);
  ASSERT_EQ(page.hits.size(), 3u);
  for (const SearchHit& h : page.hits) EXPECT_EQ(h.lesson.workspace_id, ws_);
  // The fallback to any word is scoped too, and so is the filter-only listing.
  q.words = {"email", "zebra"};
  EXPECT_EQ(Search(q).total, 3);
  LessonQuery tagged = Query({});
  tagged.tags = {"email"};
  EXPECT_EQ(Search(tagged).total, 0);
  // A user typing the scope token of another workspace matches nothing of it.
  EXPECT_EQ(Search(Query({"w" + std::to_string(other)})).total, 0);
  EXPECT_EQ(Search(Query({"ws:w" + std::to_string(other)})).total, 0);
}

TEST_P(StoreSearchTest, HostileInputNeverErrors) {
  Add(MakeLesson(ws_, "Café pricing", "Naïve discounts failed. 日本語 テスト 🎉 launch"));
  Add(MakeLesson(ws_, "AND OR NOT", "near misses"));
  std::string big(10 * 1024, 'x');
  big += " email";
  Add(MakeLesson(ws_, "Huge", big));
  const std::vector<std::vector<std::string>> inputs = {
      {"\""},
      {"\"\""},
      {"*"},
      {"email*"},
      {"NEAR"},
      {"NEAR(a b)"},
      {")"},
      {"("},
      {":"},
      {"title:x"},
      {"AND"},
      {"OR"},
      {"NOT"},
      {"-"},
      {"-email"},
      {"^"},
      {"^email"},
      {"{title}"},
      {"a\"b"},
      {"🎉"},
      {"\xff\xfe"},
      {"\xc3"},
      {std::string("e\0mail", 6)},
      {"日本語"},
      {"café"},
      {"cafe"},
      {"naive"},
      {"AND", "OR"},
      {"NOT", "email"},
      {big},
      {"", " ", "\t"},
      {"+", "*", ")"},
  };
  for (const auto& words : inputs) {
    LessonQuery q = Query(words);
    q.tags = {"\"", "*)"};
    Result<SearchPage> page = store_->SearchLessons(Query(words));
    EXPECT_TRUE(page.ok()) << words[0] << ": " << page.status().ToString();
    Result<SearchPage> filtered = store_->SearchLessons(q);
    EXPECT_TRUE(filtered.ok()) << words[0] << ": " << filtered.status().ToString();
  }
  EXPECT_EQ(Titles(Query({"cafe"})), (std::vector<std::string>{"Café pricing"}));
  EXPECT_EQ(Titles(Query({"naive"})), (std::vector<std::string>{"Café pricing"}));
  EXPECT_EQ(Titles(Query({"日本語"})), (std::vector<std::string>{"Café pricing"}));
  EXPECT_EQ(Titles(Query({"AND"})), (std::vector<std::string>{"AND OR NOT"}));
  EXPECT_EQ(Titles(Query({"NOT", "near"})), (std::vector<std::string>{"AND OR NOT"}));
  EXPECT_EQ(Titles(Query({"email\""})), (std::vector<std::string>{"Huge"}));
  EXPECT_EQ(Titles(Query({"-launch"})), (std::vector<std::string>{"Café pricing"}));
  // A symbol-only word is dropped: the other words decide.
  EXPECT_EQ(Titles(Query({"🎉", "pricing"})), (std::vector<std::string>{"Café pricing"}));
  EXPECT_FALSE(Search(Query({"🎉", "pricing"})).any_words);
}

TEST_P(StoreSearchTest, ConcurrentSearchesAndWritesFromManyThreads) {
  for (int i = 0; i < 50; ++i) Add(MakeLesson(ws_, "Seed " + std::to_string(i), "concurrency"));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        if (t % 2 == 0) {
          if (!store_->AddLesson(MakeLesson(ws_, "Added", "concurrency")).ok()) ++failures;
        } else {
          Result<SearchPage> p = store_->SearchLessons(Query({"concurrency"}));
          if (!p.ok() || p->total < 50) ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Search(Query({"concurrency"})).total, 50 + 3 * 30);
}

// The Book page's date range: created in [since, until), with and without words.
TEST_P(StoreSearchTest, UntilKeepsLessonsCreatedBeforeItWithAndWithoutWords) {
  Add(MakeLesson(ws_, "Email early", "", {"email"}, Outcome::kWorked, 1000));
  Add(MakeLesson(ws_, "Email middle", "", {"email"}, Outcome::kWorked, 2000));
  Add(MakeLesson(ws_, "Email late", "", {"email"}, Outcome::kWorked, 3000));
  LessonQuery plain = Query({});
  plain.until = T(3000);
  EXPECT_EQ(Titles(plain), (std::vector<std::string>{"Email middle", "Email early"}));
  plain.since = T(1500);
  EXPECT_EQ(Titles(plain), (std::vector<std::string>{"Email middle"}));
  LessonQuery words = Query({"email"});
  words.until = T(2000);
  EXPECT_EQ(Titles(words), (std::vector<std::string>{"Email early"}));
  EXPECT_EQ(Search(words).total, 1);
}

// The result cache keys on every filter: the same words with another date range are searched
// again, never answered from the first query's page.
TEST_P(StoreSearchTest, CachedPagesNeverAnswerAQueryWithAnotherDateRange) {
  Add(MakeLesson(ws_, "Email early", "", {"email"}, Outcome::kWorked, 1000));
  Add(MakeLesson(ws_, "Email late", "", {"email"}, Outcome::kWorked, 3000));
  LessonQuery all = Query({"email"});
  EXPECT_EQ(Search(all).total, 2);
  LessonQuery early = all;
  early.until = T(2000);
  EXPECT_EQ(Titles(early), (std::vector<std::string>{"Email early"}));
  LessonQuery late = all;
  late.since = T(2000);
  EXPECT_EQ(Titles(late), (std::vector<std::string>{"Email late"}));
  EXPECT_EQ(Search(all).total, 2);
}

// Frequent words (bot/domain.h): 700 lessons hold "launch", every lesson of the workspace. The
// best bm25 match is the oldest ("Launch launch launch" in the title); only the newest 500 are
// ranked, so the best of those comes first, the count stays exact and paging ends at 500.
TEST_P(StoreSearchTest, FrequentWordRanksOnlyTheNewestMatchesAndKeepsTheExactCount) {
  std::vector<Lesson> lessons;
  for (int i = 0; i < 700; ++i) {
    std::string title = i == 0     ? "Launch launch launch"
                        : i == 650 ? "Launch week"
                                   : "Note " + std::to_string(i);
    lessons.push_back(
        MakeLesson(ws_, title, "We tried a launch email and then some other things."));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  LessonQuery q = Query({"launch"});
  q.limit = 5;
  SearchPage page = Search(q);
  EXPECT_EQ(page.total, 700);
  EXPECT_EQ(page.ranked_among, kFrequentRankedAmong);
  ASSERT_EQ(page.hits.size(), 5u);
  EXPECT_EQ(page.hits[0].lesson.title, "Launch week");
  // Every hit is among the 500 newest (highest ids) of the 700.
  std::set<LessonId> ranked;
  for (int offset = 0; offset < 700; offset += 100) {
    q.limit = 100;
    q.offset = offset;
    SearchPage p = Search(q);
    EXPECT_EQ(p.total, 700);
    EXPECT_EQ(p.hits.size(), offset < 500 ? 100u : 0u) << offset;
    for (const SearchHit& h : p.hits) {
      EXPECT_NE(h.lesson.title, "Launch launch launch");
      ranked.insert(h.lesson.id);
    }
  }
  ASSERT_EQ(ranked.size(), 500u);
  LessonId lowest_ranked = *ranked.begin();
  // The ranked ones are exactly the 500 newest matches.
  LessonQuery all = Query({"launch"});
  all.sort = SearchSort::kNewest;  // newest first, every match: not bounded
  all.limit = 700;
  SearchPage everything = Search(all);
  EXPECT_EQ(everything.ranked_among, 0);
  ASSERT_EQ(everything.hits.size(), 700u);
  EXPECT_EQ(everything.hits[499].lesson.id, lowest_ranked);
}

// The same 700 matches in a workspace of 14,000 lessons: "launch" is in 1 in 20 of them, not
// more, so it is not a frequent word and every match is ranked by bm25 (the oldest wins).
TEST_P(StoreSearchTest, WordInOneInTwentyLessonsOrFewerRanksEveryMatch) {
  std::vector<Lesson> lessons;
  for (int i = 0; i < 700; ++i) {
    std::string title = i == 0     ? "Launch launch launch"
                        : i == 650 ? "Launch week"
                                   : "Note " + std::to_string(i);
    lessons.push_back(
        MakeLesson(ws_, title, "We tried a launch email and then some other things."));
  }
  for (int i = 0; i < 13300; ++i) {
    lessons.push_back(MakeLesson(ws_, "Other " + std::to_string(i), "Pricing pages and webinars."));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  LessonQuery q = Query({"launch"});
  q.limit = 5;
  SearchPage page = Search(q);
  EXPECT_EQ(page.total, 700);
  EXPECT_EQ(page.ranked_among, 0);
  ASSERT_FALSE(page.hits.empty());
  EXPECT_EQ(page.hits[0].lesson.title, "Launch launch launch");
}

// Frequent words in two workspaces (the scope is in the MATCH): the count and the newest 500 come
// from each word's rows in this workspace (storage/sqlite/word_rows.h), read on a word's second
// search of a generation, so each query runs twice: the first counts in SQL, the second from the
// rows, and both must give the same page. Every write shows at once and the other workspace's
// lessons never count.
TEST_P(StoreSearchTest, FrequentWordCountsFollowEveryWriteAndStayInsideTheWorkspace) {
  const WorkspaceId other = AddWorkspace("T2");
  std::vector<Lesson> lessons;
  for (int i = 0; i < 1200; ++i) {
    lessons.push_back(MakeLesson(ws_, "Note " + std::to_string(i),
                                 i % 3 ? "A launch email went out." : "A launch went out."));
  }
  for (int i = 0; i < 400; ++i) {
    lessons.push_back(MakeLesson(other, "Launch email launch email", "Launch email."));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  // The page of q, searched twice (another limit each time: the page cache must not answer).
  const auto twice = [&](LessonQuery q) {
    q.limit = 5;
    SearchPage first = Search(q);
    q.limit = 6;
    SearchPage second = Search(q);
    EXPECT_EQ(first.total, second.total);
    EXPECT_EQ(first.ranked_among, second.ranked_among);
    EXPECT_EQ(second.hits.size(), std::min<size_t>(6, second.total));
    for (size_t i = 0; i < first.hits.size() && i < second.hits.size(); ++i) {
      EXPECT_EQ(first.hits[i].lesson.id, second.hits[i].lesson.id) << i;
    }
    return second;
  };
  const LessonQuery q = Query({"launch", "email"});
  SearchPage page = twice(q);
  EXPECT_EQ(page.total, 800);
  EXPECT_EQ(page.ranked_among, kFrequentRankedAmong);
  for (const SearchHit& h : page.hits) EXPECT_EQ(h.lesson.workspace_id, ws_);
  EXPECT_EQ(twice(Query({"launch"})).total, 1200);

  const Lesson added = Add(MakeLesson(ws_, "Launch email launch email", "Launch email."));
  page = twice(q);
  EXPECT_EQ(page.total, 801);
  ASSERT_FALSE(page.hits.empty());
  EXPECT_EQ(page.hits[0].lesson.id, added.id);
  EXPECT_EQ(twice(Query({"launch"})).total, 1201);

  ASSERT_TRUE(store_->DeleteLesson(ws_, added.id).ok());
  page = twice(q);
  EXPECT_EQ(page.total, 800);
  for (const SearchHit& h : page.hits) EXPECT_NE(h.lesson.id, added.id);

  // A frequent word with another word that is not: every match is ranked, counted exactly.
  for (int i = 0; i < 3; ++i) Add(MakeLesson(ws_, "Launch webinar " + std::to_string(i)));
  EXPECT_EQ(twice(Query({"launch", "webinar"})).total, 3);
  EXPECT_EQ(twice(Query({"launch", "webinar"})).ranked_among, 0);
}

// Lesson ids are given by imports: frequent words' lessons 2^40 ids apart cannot share one bitmap
// (RowBitmap::kMaxWords), so their searches count in SQL, and stay exact.
TEST_P(StoreSearchTest, FrequentWordsOfLessonsWithFarApartIdsAreCountedExactly) {
  std::vector<Lesson> lessons;
  for (int i = 0; i < 700; ++i) {
    lessons.push_back(MakeLesson(ws_, "Note " + std::to_string(i), "A launch email went out."));
  }
  Lesson far = MakeLesson(ws_, "Launch email far away", "Launch email.");
  far.id = LessonId{1} << 40;
  lessons.push_back(far);
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  for (int round = 0; round < 3; ++round) {  // the first search, then the ones that read bitmaps
    LessonQuery q = Query({"launch", "email"});
    q.limit = 5 + round;
    SearchPage page = Search(q);
    EXPECT_EQ(page.total, 701) << round;
    EXPECT_EQ(page.ranked_among, kFrequentRankedAmong) << round;
    ASSERT_FALSE(page.hits.empty());
    EXPECT_EQ(page.hits[0].lesson.id, far.id) << round;
  }
}

// More than 50 matches in SQLite are scored by lb_bm25 with the words' document counts kept per
// generation (storage/sqlite/fts_rank.h): the same ids, order and scores as FTS5's own bm25.
// With lessons in two workspaces the scope is in the MATCH: lb_bm25 then gets the scope's count
// (the workspace's lessons) and each word's count over every workspace — bm25's own scores.
TEST_P(StoreSearchTest, KnownCountsWithTheWorkspaceScopeGiveExactlyTheScoresOfBm25) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 is SQLite's";
  const WorkspaceId other = AddWorkspace("T2");
  std::vector<Lesson> lessons;
  for (int i = 0; i < 600; ++i) {
    std::string body = "Launch emails";
    for (int k = 0; k < i % 4; ++k) body += " with a spring webinar";
    lessons.push_back(MakeLesson(i % 3 ? ws_ : other, "Note " + std::to_string(i), body,
                                 {i % 2 ? "email" : "events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  SQLite::Database db(Location(), SQLite::OPEN_READONLY);
  for (const std::vector<std::string>& words : std::vector<std::vector<std::string>>{
           {"webinar"}, {"launch", "spring"}, {"note", "webinar"}, {"spring", "nowhere"}}) {
    LessonQuery q = Query(words);
    q.limit = 10;
    SearchPage page = Search(q);
    ASSERT_GT(page.total, 0);
    std::string match = "ws:\"w" + std::to_string(ws_) + "\" AND {title body tags campaign} : (";
    const std::string join = page.any_words ? " OR \"" : " AND \"";
    for (size_t i = 0; i < words.size(); ++i) match += (i ? join : "\"") + words[i] + "\"";
    match += ")";
    ExpectHitsAreFts5Rows(page, db,
                          "SELECT rowid, rank FROM lessons_fts WHERE lessons_fts MATCH ? "
                          "ORDER BY rank, rowid LIMIT 10",
                          match);
  }
}

TEST_P(StoreSearchTest, KnownWordCountsGiveExactlyTheScoresOfBm25) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 is SQLite's";
  std::vector<Lesson> lessons;
  for (int i = 0; i < 3000; ++i) {
    std::string title = "Note " + std::to_string(i) + (i % 7 == 0 ? " webinar" : "");
    std::string body = "Pricing pages and webinars";
    for (int k = 0; k < i % 5; ++k) body += " with a launch email";
    if (i % 3 == 0) body += " for the spring launch";
    lessons.push_back(MakeLesson(ws_, title, body, {i % 2 ? "email" : "events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  SQLite::Database db(Location(), SQLite::OPEN_READONLY);
  for (const std::vector<std::string>& words :
       std::vector<std::vector<std::string>>{{"launch"},
                                             {"launch", "email"},
                                             {"webinar", "launch"},
                                             {"pricing", "webinar"},
                                             {"note", "webinar", "spring"},
                                             {"spring", "events"}}) {
    LessonQuery q = Query(words);
    q.limit = 10;
    SearchPage page = Search(q);
    ASSERT_GT(page.total, 50);
    std::string match = "{title body tags campaign} : (";
    for (size_t i = 0; i < words.size(); ++i) match += (i ? " AND \"" : "\"") + words[i] + "\"";
    match += ")";
    const std::string bound = page.ranked_among > 0
                                  ? "AND rowid >= (SELECT rowid FROM lessons_fts WHERE "
                                    "lessons_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET 499) "
                                  : "";
    ExpectHitsAreFts5Rows(page, db,
                          "SELECT rowid, rank FROM lessons_fts WHERE lessons_fts MATCH ? " + bound +
                              "ORDER BY rank, rowid LIMIT 10",
                          match);
  }
}

// From a frequent word's second search of a generation its kept rows rank the search in memory
// (storage/sqlite/frequent_rank.h): the pages must stay FTS5's own bm25 pages bit for bit, over
// every match or the newest 500, with the workspace scope in the MATCH or not, and after a write.
TEST_P(StoreSearchTest, FrequentWordsRankedFromTheirKeptRowsGiveExactlyTheScoresOfBm25) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 is SQLite's";
  std::vector<Lesson> lessons;
  for (int i = 0; i < 2400; ++i) {
    std::string title = "Note " + std::to_string(i) + (i % 7 == 0 ? " webinar" : "");
    std::string body = "Pricing pages and webinars";
    for (int k = 0; k < i % 5; ++k) body += " with a launch email";
    if (i % 3 == 0) body += " for the spring launch";
    for (int k = 0; k < i % 9; ++k) body += " and a few more words";
    lessons.push_back(MakeLesson(ws_, title, body, {i % 2 ? "email" : "events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  const std::vector<std::vector<std::string>> queries{
      {"launch"}, {"launch", "email"}, {"webinar", "launch"}, {"note", "webinar", "spring"}};
  const auto expect_bm25 = [&](const std::string& scope) { ExpectBm25Pages(queries, scope, 50); };
  expect_bm25("");
  Add(MakeLesson(ws_, "Launch email webinar spring note", "Launch email launch email."));
  expect_bm25("");
  const WorkspaceId other = AddWorkspace("T2");
  Add(MakeLesson(other, "Launch email elsewhere", "Launch email webinar."));
  expect_bm25("ws:\"w" + std::to_string(ws_) + "\" AND ");
}

// Middle words (each in more than 1 in 1,000 lessons, not all frequent) are ranked over every
// match from their kept rows too: FTS5's bm25 pages, bit for bit.
TEST_P(StoreSearchTest, MiddleWordsRankedFromTheirKeptRowsGiveExactlyTheScoresOfBm25) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 is SQLite's";
  std::vector<Lesson> lessons;  // 4,000: middle words are in 5 to 200 of them
  for (int i = 0; i < 4000; ++i) {
    std::string title = "Note " + std::to_string(i) + (i % 83 == 0 ? " referral" : "");
    std::string body = "Pricing pages";
    if (i % 61 == 0) body += " with a referral bonus";
    for (int k = 0; k < i % 3; ++k) {
      if (i % 73 == 0) body += " and a loyalty bonus";
    }
    for (int k = 0; k < i % 9; ++k) body += " and a few more words";
    lessons.push_back(MakeLesson(ws_, title, body, {i % 97 == 0 ? "loyalty" : "events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  const std::vector<std::vector<std::string>> queries{
      {"referral"}, {"bonus"}, {"loyalty", "bonus"}, {"referral", "bonus"}, {"bonus", "pricing"}};
  ExpectBm25Pages(queries, "", 20);
  Add(MakeLesson(ws_, "Referral bonus loyalty", "A referral bonus, a loyalty bonus."));
  ExpectBm25Pages(queries, "", 20);
}

// Once a generation has served searches of WordRows::kAskedBeforeEager different words, a word's
// kept rows are read at its first search and rank it: still FTS5's bm25 pages, bit for bit, and
// after a write the first search ranks in SQL again (the same pages).
TEST_P(StoreSearchTest, WordsOfALastingGenerationRankFromTheirKeptRowsAtTheirFirstSearch) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 and the kept rows are SQLite's";
  constexpr int kFillers = static_cast<int>(sqlite::WordRows::kAskedBeforeEager) + 20;
  const auto filler = [](int n) {  // letters only: one token each, left alone by the stemmer
    return std::string("zq") + static_cast<char>('a' + n / 26 % 26) +
           static_cast<char>('a' + n % 26);
  };
  std::vector<Lesson> lessons;  // each filler word in ~10 of 3,000 lessons: a middle word
  for (int i = 0; i < 3000; ++i) {
    std::string body = "Pricing pages " + filler(i % kFillers);
    if (i % 61 == 0) body += " with a referral bonus";
    if (i % 73 == 0) body += " and a loyalty bonus";
    for (int k = 0; k < i % 9; ++k) body += " and a few more words";
    lessons.push_back(MakeLesson(ws_, "Note " + std::to_string(i), body,
                                 {i % 97 == 0 ? "loyalty" : "events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  for (int n = 0; n < kFillers; ++n) {
    LessonQuery q = Query({filler(n)});
    q.limit = 3;
    ASSERT_GT(Search(q).total, 0) << filler(n);
  }
  const std::vector<std::vector<std::string>> queries{
      {"referral"}, {"loyalty", "bonus"}, {"referral", "bonus"}, {"bonus", "pricing"}};
  ExpectBm25Pages(queries, "", 20);
  Add(MakeLesson(ws_, "Referral bonus loyalty", "A referral bonus, a loyalty bonus."));
  ExpectBm25Pages(queries, "", 20);
}

// The kept rows, counts and lengths are shared by every search of the store and keyed by the
// lesson generation their snapshot read. Searches on four threads while lessons are written one
// by one: each sees every lesson written before it started (a query's total never goes down on
// a thread, since every write adds a lesson holding all its words), its page is ranked best
// first, and once the writes stop, the state the searches kept gives FTS5's bm25 pages exactly.
TEST_P(StoreSearchTest, SearchesDuringWritesKeepOnlyWhatTheirOwnSnapshotHolds) {
  if (IsPostgres()) GTEST_SKIP() << "bm25 and the kept rows are SQLite's";
  std::vector<Lesson> lessons;  // frequent (launch, email) and middle (referral, bonus) words
  for (int i = 0; i < 3000; ++i) {
    std::string body = i % 3 == 0 ? "Launch email" : "Pricing pages";
    if (i % 53 == 0) body += " with a referral bonus";
    for (int k = 0; k < i % 7; ++k) body += i % 2 ? " and the launch" : " and more words";
    lessons.push_back(MakeLesson(ws_, "Note " + std::to_string(i), body, {"events"}));
  }
  ASSERT_TRUE(store_->ImportLessons(lessons).ok());
  const std::vector<std::vector<std::string>> queries{
      {"launch"}, {"launch", "email"}, {"referral"}, {"referral", "bonus"}, {"bonus", "launch"}};
  constexpr int kWrites = 40;
  std::atomic<bool> writing{true};
  std::atomic<int> failures{0};
  std::vector<std::thread> searchers;
  for (int t = 0; t < 4; ++t) {
    searchers.emplace_back([&, t] {
      std::vector<std::int64_t> last(queries.size(), 0);
      int after = 0;  // rounds after the last write: their state is the final generation's
      for (int round = 0; after < 3; ++round) {
        if (!writing.load()) ++after;
        for (size_t i = 0; i < queries.size(); ++i) {
          LessonQuery q = Query(queries[i]);
          q.limit = 5 + (round + t) % 4;  // another page now and then: not the page cache
          Result<SearchPage> page = store_->SearchLessons(q);
          if (!page.ok() || page->total < last[i] || page->hits.empty()) {
            ++failures;
            continue;
          }
          last[i] = page->total;
          for (size_t h = 1; h < page->hits.size(); ++h) {
            if (page->hits[h].score < page->hits[h - 1].score) ++failures;
          }
        }
      }
    });
  }
  for (int w = 0; w < kWrites; ++w) {
    Add(MakeLesson(ws_, "Launch email referral bonus " + std::to_string(w),
                   "A referral bonus at the launch email."));
  }
  writing = false;
  for (std::thread& th : searchers) th.join();
  EXPECT_EQ(failures.load(), 0);
  ExpectBm25Pages(queries, "", 40);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreSearchTest);

}  // namespace
}  // namespace lessonbook
