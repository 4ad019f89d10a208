// The Book of Learning in a real browser: the real `lessonbook serve` on a SQLite file with 500
// imported lessons and three campaigns, headless Chromium driven over WebDriver. A personal link
// opens the Book; then search, an outcome filter and a campaign page, all through the session
// cookie. Screenshots (desktop and phone width) and the printed PDF are saved under the build
// folder (book-browser/). Without Chromium these tests fail: deploy/install-deps.sh --test.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "bot/book_link.h"
#include "bot/cli/cli.h"
#include "bot/config.h"
#include "bot/local_time.h"
#include "storage/store.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webdriver.h"

namespace lessonbook {
namespace {

using testing::ChromeDriver;

constexpr int kLessons = 500;
const char* kOutcomes[] = {"worked", "flopped", "change", "insight"};
const char* kTags[] = {"seo", "offers", "email", "landing-pages", "social",
                       "events", "analysts-influencers", "testing", "content", "paid"};
const char* kCampaigns[] = {"Q1 webinar", "Spring sale", "Newsletter relaunch"};

std::filesystem::path OutputDir() {
  auto dir = std::filesystem::path(LESSONBOOK_BINARY).parent_path() / "book-browser";
  std::filesystem::create_directories(dir);
  return dir;
}

void Save(const std::string& name, const std::string& bytes) {
  std::ofstream out(OutputDir() / name, std::ios::binary);
  out << bytes;
}

std::size_t Count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

// A database with 500 lessons imported by `lessonbook import` and three campaigns, and a Book
// link for its workspace signed with the key the server will use.
class BookBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("book.db");
    const std::string file = dir_.File("lessons.jsonl");
    {
      std::ofstream out(file);
      for (int i = 1; i <= kLessons; ++i) {
        const char* topic = i % 7 == 0 ? "Webinar" : (i % 5 == 0 ? "Subject line" : "Landing page");
        out << R"({"title": ")" << topic << " lesson " << i
            << R"( <b>&amp;</b> 🎉", "body": "What we saw in test )" << i
            << R"(: \"quotes\" & <script>alert(1)</script>.", "tags": [")" << kTags[i % 10]
            << R"("], "outcome": ")" << kOutcomes[i % 4] << R"(", "campaign": ")"
            << kCampaigns[i % 3] << R"(", "author": "web:ana", "created_at": "2026-0)"
            << (1 + i % 9) << "-1" << (i % 10) << R"(T10:00:00Z"})" << "\n";
      }
    }
    auto imported = testing::RunLessonbook({"import", file}, Env());
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    auto store = OpenStore(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Config config;
    auto ws = EnsureLocalWorkspace(**store, config);
    ASSERT_TRUE(ws.ok());
    for (const char* name : kCampaigns) {
      Campaign c;
      c.workspace_id = ws->id;
      c.name = name;
      c.owner = "web:ana";
      c.channel_id = "web:general";
      c.starts_at = *ParseRfc3339("2026-01-01T09:00:00Z");
      c.ends_at = *ParseRfc3339("2026-10-01T17:00:00Z");
      c.goals = std::string("Goals of ") + name;
      c.learning_goals = "Does a partner co-host raise attendance?";
      c.metrics = {{"mqls", "300", "240"}, {"signups", "1000", ""}};
      c.participants = {"web:ana", "web:bo"};
      c.status = CampaignStatus::kClosed;
      c.created_at = c.updated_at = c.starts_at;
      ASSERT_TRUE((*store)->CreateCampaign(c).ok());
    }
    auto key = LoadBookLinkKey(**store, "");  // kept in the database: the server reads it
    ASSERT_TRUE(key.ok());
    BookLinkClaims claims;
    claims.workspace_id = ws->id;
    claims.workspace_external_id = ws->external_id;
    claims.user_id = "web:ana";
    claims.expires_at = SystemClock().Now() + kDefaultBookLinkTtl;
    token_ = SignBookLink(claims, *key);
  }

  std::map<std::string, std::string> Env() {
    // A public URL closes the open local Book: only the signed link gets in.
    return {{"LESSONBOOK_DB", db_}, {"LESSONBOOK_PUBLIC_URL", "https://lessonbook.example.com"},
            {"LESSONBOOK_LOG_LEVEL", "warn"}};
  }

  testing::TempDir dir_;
  std::string db_;
  std::string token_;
};

TEST_F(BookBrowserTest, LinkOpensTheBookThenSearchFilterAndCampaignPageWorkInChromium) {
  testing::ServerProcess server(Env(), dir_.File("server.log"));
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  ChromeDriver browser(dir_.File("profile"), dir_.File("chromedriver.log"));
  browser.SetWindowSize(1280, 900);

  // No link: the expired page.
  browser.Navigate(base + "/book");
  EXPECT_NE(browser.Text(browser.Find("#expired")).find("This link has expired"), std::string::npos);

  // The personal link: the cookie is set and the page moves to the clean URL.
  browser.Navigate(base + "/book?t=" + token_);
  const std::string count = browser.Text(browser.Find("#result-count"));
  EXPECT_EQ(count, "500 lessons in the Book.");
  EXPECT_EQ(browser.CurrentUrl(), base + "/book");
  EXPECT_EQ(browser.FindAll("section.chapter").size(), 10u);
  EXPECT_EQ(browser.FindAll("article.lesson").size(), static_cast<std::size_t>(kLessons));
  const std::string source = browser.PageSource();
  EXPECT_EQ(source.find("<script>alert"), std::string::npos);  // escaped, never markup
  EXPECT_NE(source.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  Save("book-desktop.png", browser.Screenshot());

  // A click submits a form; the next page may still be loading when the click returns: read the
  // count again (finding the element anew) until it says `want`, for up to 10 s.
  auto count_becomes = [&browser](const std::string& want) {
    std::string got;
    for (int i = 0; i < 100; ++i) {
      try {
        got = browser.Text(browser.Find("#result-count"));
      } catch (const std::exception&) {
        got.clear();  // the old page went away between Find and Text
      }
      if (got == want) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
  };

  // Search, as in the chat.
  browser.Type(browser.Find("#q"), "webinar");
  browser.Click(browser.Find("#search-button"));
  // Titles of every 7th lesson and the campaign "Q1 webinar" (every 3rd) hold the word.
  int webinar = 0;
  for (int i = 1; i <= kLessons; ++i) webinar += (i % 7 == 0 || i % 3 == 0) ? 1 : 0;
  const std::string want = std::to_string(webinar) + " lessons match “webinar”.";
  const std::string found = count_becomes(want);
  EXPECT_EQ(found, want) << found;
  EXPECT_NE(browser.CurrentUrl().find("q=webinar"), std::string::npos);
  EXPECT_EQ(browser.FindAll("article.lesson").size(), 100u);  // the first page of results
  Save("book-search.png", browser.Screenshot());

  // Filter by outcome (no words: chapters again).
  browser.Click(browser.Find(".clear"));
  EXPECT_EQ(count_becomes("500 lessons in the Book."), "500 lessons in the Book.");
  browser.Click(browser.Find("#outcome option[value=flopped]"));
  browser.Click(browser.Find("#filter-button"));
  EXPECT_EQ(count_becomes("125 lessons match the filters."), "125 lessons match the filters.");
  const std::string flopped = browser.PageSource();
  EXPECT_EQ(Count(flopped, "class=\"badge flopped\""), 125u);
  EXPECT_EQ(Count(flopped, "class=\"badge worked\""), 0u);
  EXPECT_NE(browser.CurrentUrl().find("outcome=flopped"), std::string::npos);

  // A campaign's page from the campaign list.
  browser.Click(browser.Find("#campaigns a"));
  const std::string name = browser.Text(browser.Find("#campaign-name"));
  EXPECT_TRUE(name == kCampaigns[0] || name == kCampaigns[1] || name == kCampaigns[2]) << name;
  EXPECT_EQ(browser.Text(browser.Find("#goals")), "Goals of " + name);
  const std::string metrics = browser.Text(browser.Find("#metrics tbody tr"));
  EXPECT_NE(metrics.find("mqls"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("240"), std::string::npos) << metrics;
  EXPECT_NE(browser.Text(browser.Find("#participation")).find("2 participants"), std::string::npos);
  const auto lessons = browser.FindAll("#campaign-lessons article.lesson");
  EXPECT_GE(lessons.size(), 166u);
  EXPECT_LE(lessons.size(), 167u);
  Save("book-campaign.png", browser.Screenshot());

  // A phone's width.
  browser.SetWindowSize(390, 844);
  browser.Navigate(base + "/book?outcome=worked");
  EXPECT_EQ(browser.Text(browser.Find("#result-count")), "125 lessons match the filters.");
  Save("book-phone.png", browser.Screenshot());
}

TEST_F(BookBrowserTest, PrintingTheBookGivesARealPdfWithPages) {
  testing::ServerProcess server(Env(), dir_.File("server.log"));
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  ChromeDriver browser(dir_.File("profile"), dir_.File("chromedriver.log"));
  browser.Navigate(base + "/book?t=" + token_);
  ASSERT_EQ(browser.Text(browser.Find("#result-count")), "500 lessons in the Book.");
  const std::string pdf = browser.PrintToPdf();
  Save("book.pdf", pdf);
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
  // Each chapter starts a page in print: at least one page per chapter.
  std::regex page_object(R"(/Type\s*/Page[^s])");
  const auto pages = std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page_object),
                                   std::sregex_iterator());
  EXPECT_GE(pages, 10) << "pages in the PDF";
}

}  // namespace
}  // namespace lessonbook
