// The Book of Learning's routes without sockets: BookSite over a real SQLite store with two
// workspaces, driven with plain HttpRequests. Links, cookies, isolation, exports, escaping.
#include "adapters/web/book_routes.h"

#include <gtest/gtest.h>

#include "bot/book_link.h"
#include "bot/local_time.h"
#include "bot/sections.h"
#include "storage/store.h"
#include "tests/support/store_fixture.h"

namespace lessonbook {
namespace {

const std::string kKey(32, 'b');

bool Has(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class BookRoutesTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    acme_ = MakeWorkspace("T0ACME001", "Acme", {"U0BOSS001"});
    other_ = MakeWorkspace("T0OTHER01", "Other Corp", {});
    local_ = MakeWorkspace("local", "Local web chat", {}, Platform::kWeb);
    acme_campaign_ = MakeCampaign(acme_, "Q1 webinar", "300 MQLs", "does a co-host help?");
    other_campaign_ = MakeCampaign(other_, "Secret launch", "world domination", "");
    AddLesson(acme_, "Subject lines with numbers got more opens", {"email"}, Outcome::kWorked, "");
    AddLesson(acme_, "Webinar without a partner co-host flopped", {"events"}, Outcome::kFlopped,
              "Q1 webinar");
    AddLesson(acme_, "<script>alert('x')</script> & \"quotes\" 🎉", {"social"}, Outcome::kInsight,
              "", "Body with <b>tags</b> & 'single quotes' ✉️");
    AddLesson(other_, "OTHER-ONLY lesson about email", {"email"}, Outcome::kWorked, "Secret launch");
    AddLesson(local_, "Local lesson on landing pages", {"landing-pages"}, Outcome::kChange, "");
    Rebuild(false);
  }

  void Rebuild(bool open_local) {
    BookSiteOptions o;
    o.link_key = kKey;
    o.open_without_token = open_local;
    o.open_workspace_id = local_.id;
    site_ = std::make_unique<BookSite>(*store_, clock_, o);
  }

  Workspace MakeWorkspace(const std::string& ext, const std::string& name,
                          std::vector<std::string> admins, Platform p = Platform::kSlack) {
    Workspace w;
    w.platform = p;
    w.external_id = ext;
    w.name = name;
    w.admins = std::move(admins);
    auto made = store_->EnsureWorkspace(w);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return *made;
  }

  std::int64_t MakeCampaign(const Workspace& ws, const std::string& name, const std::string& goals,
                            const std::string& learn) {
    Campaign c;
    c.workspace_id = ws.id;
    c.platform = ws.platform;
    c.name = name;
    c.owner = "U0ANA0001";
    c.channel_id = "C1";
    c.starts_at = clock_.Now() - std::chrono::hours(24 * 30);
    c.ends_at = clock_.Now() - std::chrono::hours(24);
    c.goals = goals;
    c.learning_goals = learn;
    c.metrics = {{"mqls", "300", "240"}};
    c.participants = {"U0ANA0001", "U0BO00001"};
    c.status = CampaignStatus::kClosed;
    c.created_at = c.updated_at = c.starts_at;
    auto made = store_->CreateCampaign(c);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made->id;
  }

  void AddLesson(const Workspace& ws, const std::string& title, std::vector<std::string> tags,
                 Outcome outcome, const std::string& campaign, const std::string& body = "") {
    Lesson l;
    l.workspace_id = ws.id;
    l.title = title;
    l.body = body;
    l.tags = std::move(tags);
    l.outcome = outcome;
    l.campaign = campaign;
    l.author = "U0ANA0001";
    l.created_at = l.updated_at = clock_.Now() - std::chrono::hours(48);
    ASSERT_TRUE(store_->AddLesson(l).ok());
  }

  std::string Link(const Workspace& ws, const std::string& user,
                   BookLinkKind kind = BookLinkKind::kBook, const std::string& format = "",
                   const std::string& filter = "", std::chrono::seconds ttl = kDefaultBookLinkTtl) {
    BookLinkClaims c;
    c.kind = kind;
    c.workspace_id = ws.id;
    c.workspace_external_id = ws.external_id;
    c.user_id = user;
    c.expires_at = clock_.Now() + ttl;
    c.format = format;
    c.filter = filter;
    return SignBookLink(c, kKey);
  }

  HttpResponse Get(const std::string& path, std::map<std::string, std::string> query = {},
                   const std::string& cookie_token = "", const std::string& host = "lb.example.com") {
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.query = std::move(query);
    r.headers["host"] = host;
    if (!cookie_token.empty()) r.headers["cookie"] = "x=1; " + std::string(kBookCookie) + "=" + cookie_token;
    return site_->Handle(r);
  }

  FakeClock clock_{*ParseRfc3339("2026-11-23T10:00:00Z")};
  std::unique_ptr<BookSite> site_;
  Workspace acme_, other_, local_;
  std::int64_t acme_campaign_ = 0, other_campaign_ = 0;
};

TEST_P(BookRoutesTest, ValidLinkSetsAStrictHttpOnlyCookieAndMovesToTheCleanUrl) {
  const std::string token = Link(acme_, "U0ANA0001");
  HttpResponse r = Get("/book", {{"t", token}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string cookie = r.headers["Set-Cookie"];
  EXPECT_TRUE(Has(cookie, std::string(kBookCookie) + "=" + token)) << cookie;
  EXPECT_TRUE(Has(cookie, "HttpOnly"));
  EXPECT_TRUE(Has(cookie, "SameSite=Strict"));
  EXPECT_TRUE(Has(cookie, "Path=/book"));
  EXPECT_TRUE(Has(cookie, "Max-Age=604800")) << cookie;
  EXPECT_TRUE(Has(r.body, "url=/book\"")) << r.body;
  EXPECT_EQ(r.headers["Content-Security-Policy"], kBookContentSecurityPolicy);
}

TEST_P(BookRoutesTest, BookShowsOnlyItsWorkspacesLessonsByChapterWithEvidence) {
  HttpResponse r = Get("/book", {}, Link(acme_, "U0ANA0001"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_TRUE(Has(r.body, "Subject lines with numbers got more opens"));
  EXPECT_TRUE(Has(r.body, "Webinar without a partner co-host flopped"));
  EXPECT_TRUE(Has(r.body, "<h2>Email</h2>"));
  EXPECT_TRUE(Has(r.body, "<h2>Events</h2>"));
  EXPECT_TRUE(Has(r.body, "class=\"badge flopped\">Flopped"));
  EXPECT_TRUE(Has(r.body, "no evidence yet"));
  EXPECT_TRUE(Has(r.body, "Campaign: <a href=\"/book/campaign?id=" + std::to_string(acme_campaign_)));
  EXPECT_FALSE(Has(r.body, "OTHER-ONLY"));
  EXPECT_FALSE(Has(r.body, "Secret launch"));
  EXPECT_FALSE(Has(r.body, "Local lesson"));
  EXPECT_FALSE(Has(r.body, "<script"));  // no script at all, and lesson markup is escaped
  EXPECT_TRUE(Has(r.body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot; 🎉"));
  EXPECT_TRUE(Has(r.body, "Body with &lt;b&gt;tags&lt;/b&gt; &amp; &#39;single quotes&#39; ✉️"));
}

TEST_P(BookRoutesTest, ChaptersAndTheMarkdownBookFollowTheWorkspacesSectionList) {
  ASSERT_TRUE(store_->SetSetting(acme_.id, kSectionsSetting,
                                 "events=\"Webinars & events\", email=Newsletters").ok());
  HttpResponse r = Get("/book", {}, Link(acme_, "U0ANA0001"));
  ASSERT_EQ(r.status, 200) << r.body;
  std::size_t events = r.body.find("<h2>Webinars &amp; events</h2>");
  std::size_t email = r.body.find("<h2>Newsletters</h2>");
  std::size_t other = r.body.find("<h2>Other lessons</h2>");  // the #social lesson
  ASSERT_NE(events, std::string::npos) << r.body;
  ASSERT_NE(email, std::string::npos) << r.body;
  ASSERT_NE(other, std::string::npos) << r.body;
  EXPECT_LT(events, email);
  EXPECT_LT(email, other);
  EXPECT_FALSE(Has(r.body, "<h2>Email</h2>"));
  EXPECT_TRUE(Has(r.body, "<option value=\"email\">Newsletters</option>"));
  EXPECT_FALSE(Has(r.body, "SEO and keyphrases"));

  HttpResponse md = Get("/book/export", {{"t", Link(acme_, "U0BOSS001", BookLinkKind::kExport, "md", "")}});
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_TRUE(Has(md.body, "\n## Webinars & events\n")) << md.body;
  EXPECT_TRUE(Has(md.body, "\n## Newsletters\n")) << md.body;
  EXPECT_LT(md.body.find("## Webinars & events"), md.body.find("## Newsletters"));
  EXPECT_FALSE(Has(md.body, "## Email"));

  // Another workspace keeps the default chapters.
  HttpResponse theirs = Get("/book", {}, Link(other_, "U0X"));
  EXPECT_TRUE(Has(theirs.body, "<h2>Email</h2>")) << theirs.body;
  EXPECT_FALSE(Has(theirs.body, "Newsletters"));
}

TEST_P(BookRoutesTest, SearchAndFiltersUseTheChatSearchInsideTheWorkspace) {
  const std::string t = Link(acme_, "U0ANA0001");
  HttpResponse words = Get("/book", {{"q", "email"}}, t);
  ASSERT_EQ(words.status, 200);
  EXPECT_TRUE(Has(words.body, "1 lesson matches")) << words.body;
  EXPECT_TRUE(Has(words.body, "Subject lines"));
  EXPECT_FALSE(Has(words.body, "OTHER-ONLY"));
  HttpResponse flopped = Get("/book", {{"outcome", "flopped"}}, t);
  EXPECT_TRUE(Has(flopped.body, "Webinar without"));
  EXPECT_FALSE(Has(flopped.body, "Subject lines"));
  HttpResponse chat_syntax = Get("/book", {{"q", "outcome:worked"}}, t);
  EXPECT_TRUE(Has(chat_syntax.body, "Subject lines"));
  EXPECT_FALSE(Has(chat_syntax.body, "Webinar without"));
  HttpResponse section = Get("/book", {{"section", "social"}}, t);
  EXPECT_TRUE(Has(section.body, "1 lesson match the filters")) << section.body;
  HttpResponse campaign = Get("/book", {{"campaign", "Q1 webinar"}}, t);
  EXPECT_TRUE(Has(campaign.body, "Webinar without"));
  EXPECT_FALSE(Has(campaign.body, "Subject lines"));
  // Lessons were written two days ago: a range that ends three days ago holds none.
  HttpResponse before = Get("/book", {{"to", "2026-11-20"}}, t);
  EXPECT_TRUE(Has(before.body, "0 lessons match")) << before.body;
  HttpResponse during = Get("/book", {{"from", "2026-11-21"}, {"to", "2026-11-21"}}, t);
  EXPECT_TRUE(Has(during.body, "3 lessons match")) << during.body;
  HttpResponse bad = Get("/book", {{"outcome", "great"}}, t);
  EXPECT_EQ(bad.status, 200);
  EXPECT_TRUE(Has(bad.body, "outcome must be one of")) << bad.body;
  HttpResponse bad_date = Get("/book", {{"from", "2026-02-30"}}, t);
  EXPECT_TRUE(Has(bad_date.body, "class=\"notice error\"")) << bad_date.body;
}

TEST_P(BookRoutesTest, CampaignPageShowsGoalsMetricsParticipationAndItsLessonsOnly) {
  const std::string t = Link(acme_, "U0ANA0001");
  HttpResponse r = Get("/book/campaign", {{"id", std::to_string(acme_campaign_)}}, t);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "<h1 id=\"campaign-name\">Q1 webinar</h1>"));
  EXPECT_TRUE(Has(r.body, "300 MQLs"));
  EXPECT_TRUE(Has(r.body, "does a co-host help?"));
  EXPECT_TRUE(Has(r.body, "<td>mqls</td><td>300</td><td>240</td>"));
  EXPECT_TRUE(Has(r.body, "2 participants"));
  EXPECT_TRUE(Has(r.body, "Webinar without a partner co-host flopped"));
  EXPECT_FALSE(Has(r.body, "Subject lines"));
  // Another workspace's campaign id is not found from Acme's Book.
  HttpResponse foreign = Get("/book/campaign", {{"id", std::to_string(other_campaign_)}}, t);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_FALSE(Has(foreign.body, "Secret launch"));
  EXPECT_FALSE(Has(foreign.body, "world domination"));
  EXPECT_EQ(Get("/book/campaign", {{"id", "abc"}}, t).status, 404);
}

TEST_P(BookRoutesTest, ExpiredAlteredForeignAndMissingLinksGetTheExpiredPage) {
  const std::string expired = Link(acme_, "U0ANA0001", BookLinkKind::kBook, "", "",
                                   std::chrono::seconds(60));
  clock_.Advance(std::chrono::seconds(61));
  HttpResponse e = Get("/book", {{"t", expired}});
  EXPECT_EQ(e.status, 410);
  EXPECT_TRUE(Has(e.body, "This link has expired — ask <code>/lessons book</code> for a new one"));
  EXPECT_FALSE(e.headers.count("Set-Cookie"));
  EXPECT_EQ(Get("/book", {}, expired).status, 410);  // an expired cookie too

  std::string altered = Link(acme_, "U0ANA0001");
  altered[altered.size() - 3] = altered[altered.size() - 3] == 'x' ? 'y' : 'x';
  EXPECT_EQ(Get("/book", {{"t", altered}}).status, 403);
  EXPECT_EQ(Get("/book", {}, altered).status, 403);

  // Signed by another server's key.
  BookLinkClaims c;
  c.workspace_id = acme_.id;
  c.workspace_external_id = acme_.external_id;
  c.user_id = "U0ANA0001";
  c.expires_at = clock_.Now() + std::chrono::hours(1);
  EXPECT_EQ(Get("/book", {{"t", SignBookLink(c, std::string(32, 'z'))}}).status, 403);
  // A workspace row that now belongs to another tenant, and one that does not exist.
  c.workspace_external_id = "T0GONE001";
  EXPECT_EQ(Get("/book", {{"t", SignBookLink(c, kKey)}}).status, 403);
  c.workspace_id = 999;
  EXPECT_EQ(Get("/book", {{"t", SignBookLink(c, kKey)}}).status, 403);
  // An export link is not a Book link.
  EXPECT_EQ(Get("/book", {{"t", Link(acme_, "U0ANA0001", BookLinkKind::kExport, "md", "email")}}).status, 403);
  // Missing or empty token, no cookie.
  EXPECT_EQ(Get("/book", {{"t", ""}}).status, 403);
  HttpResponse none = Get("/book");
  EXPECT_EQ(none.status, 403);
  EXPECT_TRUE(Has(none.body, "This link has expired"));
  EXPECT_EQ(Get("/book/campaign", {{"id", std::to_string(acme_campaign_)}}).status, 403);
  EXPECT_EQ(Get("/book/export").status, 403);
}

TEST_P(BookRoutesTest, LocalBookIsOpenOnlyOnALoopbackHostWhenConfigAllowsIt) {
  EXPECT_EQ(Get("/book", {}, "", "127.0.0.1:8080").status, 403);  // not allowed by config
  Rebuild(true);
  HttpResponse local = Get("/book", {}, "", "127.0.0.1:8080");
  ASSERT_EQ(local.status, 200) << local.body;
  EXPECT_TRUE(Has(local.body, "Local lesson on landing pages"));
  EXPECT_FALSE(Has(local.body, "Subject lines"));
  EXPECT_EQ(Get("/book", {}, "", "lb.example.com").status, 403);
  EXPECT_EQ(Get("/book", {}, "", "localhost.example.com").status, 403);
  // A link still opens its own workspace on loopback.
  HttpResponse acme = Get("/book", {}, Link(acme_, "U0ANA0001"), "localhost:8080");
  EXPECT_TRUE(Has(acme.body, "Subject lines"));
  EXPECT_FALSE(Has(acme.body, "Local lesson"));
}

TEST_P(BookRoutesTest, ExportLinksDownloadTheSignedFormatAndFilterOfTheirWorkspaceOnly) {
  HttpResponse md = Get("/book/export", {{"t", Link(acme_, "U0ANA0001", BookLinkKind::kExport, "md", "tag:email")}});
  ASSERT_EQ(md.status, 200) << md.body;
  EXPECT_EQ(md.content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(md.headers["Content-Disposition"],
            "attachment; filename=\"lessonbook-t0acme001-2026-11-23.md\"");
  EXPECT_TRUE(Has(md.body, "# Book of Learning"));
  EXPECT_TRUE(Has(md.body, "## Email"));
  EXPECT_TRUE(Has(md.body, "Subject lines with numbers"));
  EXPECT_FALSE(Has(md.body, "Webinar"));
  EXPECT_FALSE(Has(md.body, "OTHER-ONLY"));

  HttpResponse csv = Get("/book/export", {{"t", Link(acme_, "U0BOSS001", BookLinkKind::kExport, "csv", "")}});
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(Has(csv.headers["Content-Disposition"], ".csv\""));
  EXPECT_TRUE(Has(csv.body, "Webinar without"));
  EXPECT_TRUE(Has(csv.body, "Subject lines"));
  EXPECT_TRUE(Has(csv.body, "T0ACME001"));
  EXPECT_FALSE(Has(csv.body, "OTHER-ONLY"));
  EXPECT_FALSE(Has(csv.body, "Local lesson"));

  HttpResponse jsonl = Get("/book/export", {{"t", Link(other_, "U0X", BookLinkKind::kExport, "jsonl", "email")}});
  ASSERT_EQ(jsonl.status, 200);
  EXPECT_TRUE(Has(jsonl.content_type, "application/x-ndjson"));
  EXPECT_TRUE(Has(jsonl.body, "OTHER-ONLY"));
  EXPECT_FALSE(Has(jsonl.body, "Subject lines"));
}

TEST_P(BookRoutesTest, MembersExportWhatASearchFindsAndOnlyAdminsEverything) {
  // Everything: the member is refused, the admin gets it (admin status is checked at download).
  HttpResponse member = Get("/book/export", {{"t", Link(acme_, "U0ANA0001", BookLinkKind::kExport, "md", "")}});
  EXPECT_EQ(member.status, 403);
  EXPECT_TRUE(Has(member.body, "Only admins export the whole Book"));
  HttpResponse admin = Get("/book/export", {{"t", Link(acme_, "U0BOSS001", BookLinkKind::kExport, "md", "")}});
  EXPECT_EQ(admin.status, 200);
  EXPECT_TRUE(Has(admin.body, "3 lessons"));
  // The page's own download links: members with filters only.
  const std::string member_session = Link(acme_, "U0ANA0001");
  EXPECT_EQ(Get("/book/download", {{"format", "md"}}, member_session).status, 403);
  HttpResponse filtered = Get("/book/download", {{"format", "csv"}, {"outcome", "flopped"}}, member_session);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_TRUE(Has(filtered.body, "Webinar without"));
  EXPECT_FALSE(Has(filtered.body, "Subject lines"));
  EXPECT_EQ(Get("/book/download", {{"format", "md"}}, Link(acme_, "U0BOSS001")).status, 200);
  EXPECT_EQ(Get("/book/download", {{"format", "pdf"}, {"q", "x"}}, member_session).status, 400);
  // A Book link is not an export link.
  EXPECT_EQ(Get("/book/export", {{"t", Link(acme_, "U0BOSS001")}}).status, 403);
}

TEST_P(BookRoutesTest, StyleSheetIsServedWithAPrintStyle) {
  HttpResponse css = Get("/book/static/book.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_TRUE(Has(css.body, "@media print"));
  EXPECT_TRUE(Has(css.body, "@media (max-width: 600px)"));
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(BookRoutesTest);

}  // namespace
}  // namespace lessonbook
