#include "bot/question_set.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

TEST(QuestionSet, TheShippedDefaultSetLoads) {
  auto sets = LoadQuestionSets("");
  ASSERT_TRUE(sets.ok()) << sets.status().ToString();
  ASSERT_TRUE(sets->count("default"));
  const QuestionSet& set = sets->at("default");
  EXPECT_GE(set.questions.size(), 7u);
  Campaign c;
  c.name = "Q1 webinar";
  c.learning_goals = "does a partner co-host raise attendance?";
  c.metrics = {{"mqls", "300", ""}, {"signups", "1000", ""}};
  auto steps = StepsFor(set, c);
  ASSERT_GE(steps.size(), 8u);
  EXPECT_EQ(steps[0].answer_id, "metric:mqls");
  EXPECT_EQ(steps[0].prefill, "300");
  EXPECT_NE(steps[0].text.find("mqls"), std::string::npos);
  EXPECT_EQ(steps[1].answer_id, "metric:signups");
  EXPECT_NE(steps[2].text.find("does a partner co-host raise attendance?"), std::string::npos);
}

TEST(QuestionSet, MistakesNameTheFileAndLine) {
  struct Case {
    const char* text;
    const char* expect;
  } cases[] = {
      {"version = 1\n[q]\nkind = text\nask = x\noutcome = worked\n", "needs id"},
      {"id = x\n[q]\nkind = essay\n", "x.ini:3: kind must be"},
      {"id = x\n[q]\nkind = text\nask = x\n", "needs outcome"},
      {"id = x\n[q]\nask = x\n", "x.ini:2: question [q] has no kind"},
      {"id = x\n[q]\nkind = list\noutcome = great\n", "x.ini:4: outcome must be"},
      {"id = x\nthis is no setting\n", "x.ini:2: expected key = value"},
      {"id = x\n[Bad Id]\n", "x.ini:2: \"Bad Id\" is not a question id"},
      {"id = x\n[a]\nkind = rating\nask = r\n[a]\n", "appears twice"},
      {"id = x\nversion = one\n", "x.ini:2: version must be"},
      {"id = x\n", "no [question] sections"},
      {"id = x\n[q\n", "x.ini:2: a section line"},
  };
  for (const auto& c : cases) {
    auto r = ParseQuestionSet(c.text, "x.ini");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.expect), std::string::npos)
        << c.text << " -> " << r.status().message();
  }
}

TEST(QuestionSet, FilesInTheFolderOverrideAndABrokenOneStopsTheLoad) {
  testing::TempDir dir;
  std::ofstream(dir.File("postmortem.short.ini"))
      << "id = short\nversion = 2\n[worked]\nkind = list\noutcome = worked\nask = What worked?\n";
  auto sets = LoadQuestionSets(dir.path().string());
  ASSERT_TRUE(sets.ok()) << sets.status().ToString();
  EXPECT_EQ(sets->at("short").version, 2);
  EXPECT_TRUE(sets->count("default"));
  std::ofstream(dir.File("postmortem.broken.ini")) << "id = broken\n[q]\nkind = nope\n";
  auto broken = LoadQuestionSets(dir.path().string());
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("postmortem.broken.ini:3"), std::string::npos)
      << broken.status().message();
}

}  // namespace
}  // namespace lessonbook
