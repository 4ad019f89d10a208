#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "bot/cli/cli.h"
#include "bot/interchange.h"
#include "bot/local_time.h"
#include "storage/store.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

const char* kWords[] = {"webinar", "email", "subject", "landing", "page", "offer", "discount",
                        "partner", "event", "booth", "seo", "keyphrase", "budget", "paid",
                        "social", "video", "newsletter", "analyst", "briefing", "test"};
const char* kOutcomes[] = {"worked", "flopped", "change", "insight"};
const char* kTags[] = {"email", "seo", "events", "paid", "social", "testing", "content"};

// n lessons with ids, awkward characters included, as JSONL.
std::string MakeJsonl(int n) {
  std::mt19937 rng(42);
  std::ostringstream out;
  for (int i = 1; i <= n; ++i) {
    Lesson l;
    l.id = i;
    l.title = std::string(kWords[rng() % 20]) + " " + kWords[rng() % 20] + " lesson " +
              std::to_string(i) + (i % 7 == 0 ? " with \"quotes\", commas; and ünïcödé 🎉" : "");
    l.body = i % 3 == 0 ? "" : "Line one\nLine two about " + std::string(kWords[rng() % 20]);
    l.tags = {kTags[rng() % 7]};
    if (i % 5 == 0) l.tags.push_back("landing-pages");
    l.outcome = *ParseOutcome(kOutcomes[rng() % 4]);
    l.campaign = i % 4 == 0 ? "Q" + std::to_string(i % 4 + 1) + ", webinar" : "";
    l.author = "U" + std::to_string(rng() % 50);
    l.created_at = FromUnix(1767225600 + i * 600);
    out << ToJsonLine(l, "") << "\n";
  }
  return out.str();
}

std::string Export(Store& store, const Config& config, const std::string& format) {
  std::ostringstream out;
  Status s = ExportLessons(store, config, format, "", out);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return out.str();
}

class ImportExportTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(const std::string& name) {
    auto s = OpenStore(dir_.File(name));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_.File(name), std::ios::binary) << text;
  }
  testing::TempDir dir_;
  Config config_;
};

TEST_F(ImportExportTest, TenThousandLessonsRoundTripLosslesslyAndReimportChangesNothing) {
  const int kN = 10000;
  std::string source = MakeJsonl(kN);
  Write("in.jsonl", source);
  auto store = Open("a.db");
  auto first = ImportFile(*store, config_, dir_.File("in.jsonl"), "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, kN);
  EXPECT_EQ(*store->CountLessons(std::nullopt), kN);

  std::string jsonl = Export(*store, config_, "jsonl");
  EXPECT_EQ(jsonl, source) << "export is the same lessons, byte for byte";

  auto again = ImportFile(*store, config_, dir_.File("in.jsonl"), "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->updated, kN);
  EXPECT_EQ(*store->CountLessons(std::nullopt), kN);

  Write("out.csv", Export(*store, config_, "csv"));
  auto other = Open("b.db");
  auto csv = ImportFile(*other, config_, dir_.File("out.csv"), "");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->inserted, kN);
  EXPECT_EQ(Export(*other, config_, "jsonl"), source) << "CSV round trip is lossless too";
  auto csv_again = ImportFile(*other, config_, dir_.File("out.csv"), "");
  ASSERT_TRUE(csv_again.ok());
  EXPECT_EQ(*other->CountLessons(std::nullopt), kN);
}

TEST_F(ImportExportTest, ABadLineImportsNothing) {
  Write("bad.jsonl", "{\"title\":\"fine\"}\n{\"title\":\"bad\",\"outcome\":\"meh\"}\n");
  auto store = Open("c.db");
  auto r = ImportFile(*store, config_, dir_.File("bad.jsonl"), "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("line 2"), std::string::npos) << r.status().message();
  EXPECT_EQ(*store->CountLessons(std::nullopt), 0);
  Write("ws.jsonl", "{\"title\":\"t\",\"workspace\":\"T-NOT-HERE\"}\n");
  auto ws = ImportFile(*store, config_, dir_.File("ws.jsonl"), "");
  ASSERT_FALSE(ws.ok());
  EXPECT_NE(ws.status().message().find("not installed here"), std::string::npos);
  EXPECT_FALSE(ImportFile(*store, config_, dir_.File("missing.jsonl"), "").ok());
  Write("x.txt", "title\nx\n");
  EXPECT_FALSE(ImportFile(*store, config_, dir_.File("x.txt"), "").ok());
  EXPECT_TRUE(ImportFile(*store, config_, dir_.File("x.txt"), "csv").ok());
}

TEST_F(ImportExportTest, MarkdownExportIsABook) {
  Write("in.jsonl", MakeJsonl(50));
  auto store = Open("d.db");
  ASSERT_TRUE(ImportFile(*store, config_, dir_.File("in.jsonl"), "").ok());
  std::string md = Export(*store, config_, "md");
  EXPECT_EQ(md.rfind("# Book of Learning", 0), 0u);
  EXPECT_NE(md.find("## Email"), std::string::npos);
  EXPECT_NE(md.find("## Landing pages"), std::string::npos);
}

TEST_F(ImportExportTest, TheBinaryImportsExportsAndExplainsMistakes) {
  Write("in.jsonl", MakeJsonl(20));
  std::map<std::string, std::string> env = {{"LESSONBOOK_DB", dir_.File("e.db")}};
  auto imp = testing::RunLessonbook({"import", dir_.File("in.jsonl")}, env);
  EXPECT_EQ(imp.exit_code, 0) << imp.err;
  EXPECT_NE(imp.out.find("imported 20 lessons (20 new, 0 updated)"), std::string::npos) << imp.out;
  auto exp = testing::RunLessonbook({"export", "--format", "csv"}, env);
  EXPECT_EQ(exp.exit_code, 0) << exp.err;
  EXPECT_EQ(exp.out.rfind("id,title,body,tags,outcome,campaign,author,created_at,workspace", 0), 0u);
  auto bad_format = testing::RunLessonbook({"export", "--format", "xml"}, env);
  EXPECT_EQ(bad_format.exit_code, 2);
  Write("bad.csv", "title,outcome\nx,meh\n");
  auto bad = testing::RunLessonbook({"import", dir_.File("bad.csv")}, env);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("line 2"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("nothing was imported"), std::string::npos) << bad.err;
  auto migrate = testing::RunLessonbook({"migrate"}, env);
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_NE(migrate.out.find("schema version"), std::string::npos);
  for (const char* sub : {"serve", "migrate", "export", "import", "check-config"}) {
    auto help = testing::RunLessonbook({sub, "--help"}, env);
    EXPECT_EQ(help.exit_code, 0) << sub;
    EXPECT_FALSE(help.out.empty()) << sub;
  }
}

TEST_F(ImportExportTest, CheckConfigReportsProblemsInPlainWords) {
  auto ok = testing::RunLessonbook({"check-config"}, {});
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(ok.out.find("ok: the configuration is usable"), std::string::npos);
  auto bad = testing::RunLessonbook(
      {"check-config"}, {{"LESSONBOOK_LISTEN", "nowhere"}, {"SLACK_BOT_TOKEN", "xoxb-1-secret-value"}});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.out.find("LESSONBOOK_LISTEN: 'nowhere' is not host:port"), std::string::npos);
  EXPECT_NE(bad.out.find("SLACK_SIGNING_SECRET is missing"), std::string::npos);
  EXPECT_EQ(bad.out.find("secret-value"), std::string::npos) << "secrets are redacted";
  auto serve = testing::RunLessonbook({"serve"}, {{"LESSONBOOK_LISTEN", "nowhere"}});
  EXPECT_EQ(serve.exit_code, 2);
}

}  // namespace
}  // namespace lessonbook
