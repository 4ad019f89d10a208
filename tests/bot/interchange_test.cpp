#include "bot/interchange.h"

#include <gtest/gtest.h>

#include <sstream>

#include "bot/local_time.h"

namespace lessonbook {
namespace {

const Time kNow = FromUnix(1790000000);

Lesson Sample() {
  Lesson l;
  l.id = 42;
  l.title = "Subject lines with \"numbers\", commas; and emoji 🎉";
  l.body = "Line one\nLine two, with a quote \" and <script>alert(1)</script>";
  l.tags = {"email", "testing"};
  l.outcome = Outcome::kFlopped;
  l.campaign = "Q1, webinar";
  l.author = "U123";
  l.created_at = *ParseRfc3339("2026-03-01T10:00:00Z");
  return l;
}

void ExpectSame(const Lesson& a, const Lesson& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(a.tags, b.tags);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.campaign, b.campaign);
  EXPECT_EQ(a.author, b.author);
  EXPECT_EQ(a.created_at, b.created_at);
}

TEST(Interchange, JsonlRoundTrips) {
  std::stringstream s;
  s << ToJsonLine(Sample(), "T0001") << "\n";
  auto back = ReadJsonl(s, kNow);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 1u);
  ExpectSame((*back)[0].lesson, Sample());
  EXPECT_EQ((*back)[0].workspace, "T0001");
}

TEST(Interchange, CsvRoundTripsQuotesCommasAndLineBreaks) {
  std::stringstream s;
  s << CsvHeaderLine() << "\r\n" << ToCsvLine(Sample(), "") << "\r\n";
  auto back = ReadCsv(s, kNow);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_EQ(back->size(), 1u);
  ExpectSame((*back)[0].lesson, Sample());
  EXPECT_EQ((*back)[0].workspace, "");
}

TEST(Interchange, OptionalFieldsTakeDefaults) {
  auto l = FromJsonLine(R"({"title":"Just a title"})", kNow);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->lesson.id, 0);
  EXPECT_EQ(l->lesson.outcome, Outcome::kInsight);
  EXPECT_EQ(l->lesson.created_at, kNow);
  EXPECT_EQ(l->lesson.source, LessonSource::kImport);
  auto s = FromJsonLine(R"({"id":"17","title":"t"})", kNow);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->lesson.id, 17);
}

TEST(Interchange, BadLinesNameTheLineAndTheProblem) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"{\"title\":\"ok\"}\n{not json\n", "line 2: not valid JSON"},
      {"[1,2]\n", "line 1: each line must be a JSON object"},
      {"{\"title\":\"\"}\n", "title is missing"},
      {"{\"title\":\"t\",\"outcome\":\"meh\"}\n", "outcome must be"},
      {"{\"title\":\"t\",\"tags\":\"email\"}\n", "tags must be an array"},
      {"{\"title\":\"t\",\"tags\":[\"bad tag\"]}\n", "a tag is a word"},
      {"{\"title\":\"t\",\"created_at\":\"last week\"}\n", "created_at"},
      {"{\"title\":\"t\",\"id\":-4}\n", "id must be"},
      {"{\"title\":\"t\",\"id\":1.5}\n", "id must be"},
      {"{\"title\":\"\xff\xfe\"}\n", "line 1"},
  };
  for (const auto& c : cases) {
    std::stringstream s(c.text);
    auto r = ReadJsonl(s, kNow);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.text << " -> " << r.status().message();
  }
}

TEST(Interchange, MalformedCsvIsRefusedClearly) {
  std::stringstream unclosed("title,body\n\"never closed,x\n");
  auto r = ReadCsv(unclosed, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("never closed"), std::string::npos);
  std::stringstream no_title("name,body\nx,y\n");
  EXPECT_FALSE(ReadCsv(no_title, kNow).ok());
  std::stringstream stray("title\nab\"c\n");
  EXPECT_FALSE(ReadCsv(stray, kNow).ok());
}

TEST(Interchange, MarkdownBookHasAChapterPerSection) {
  Lesson email = Sample();
  Lesson other = Sample();
  other.id = 43;
  other.tags = {"misc"};
  other.title = "Use *stars* carefully";
  std::stringstream out;
  WriteMarkdownBook(out, {email, other}, DefaultSections(), "UTC");
  std::string md = out.str();
  EXPECT_NE(md.find("## Email"), std::string::npos);
  EXPECT_NE(md.find("## Other lessons"), std::string::npos);
  EXPECT_NE(md.find("### #43 Use \\*stars\\* carefully"), std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_LT(md.find("## Email"), md.find("## Other lessons"));
}

}  // namespace
}  // namespace lessonbook
