// bench/ smoke tests (no timing): the scripts parse, the corpus generator is seeded and writes
// lessons `lessonbook import` accepts, and pre-signed slash commands pass the server's own
// signature check. The benchmark itself runs only through bench/run.sh, never in the test suite.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "adapters/slack/signature.h"
#include "tests/support/server_process.h"
#include "tests/support/temp_dir.h"

namespace lessonbook {
namespace {

const std::string kBench = std::string(LESSONBOOK_SOURCE_DIR) + "/bench/";

int Shell(const std::string& command) { return std::system(command.c_str()); }

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(BenchScriptsTest, EveryScriptParses) {
  testing::TempDir dir;
  EXPECT_EQ(Shell("bash -n " + kBench + "run.sh"), 0);
  for (const char* py :
       {"gen_corpus.py", "make_queries.py", "sign_requests.py", "check_answers.py"}) {
    EXPECT_EQ(Shell("PYTHONPYCACHEPREFIX=" + dir.path().string() + " python3 -m py_compile " +
                    kBench + py),
              0)
        << py;
  }
}

TEST(BenchScriptsTest, TheSeededCorpusIsTheSameEachTimeAndImports) {
  testing::TempDir dir;
  const std::string gen =
      "python3 " + kBench + "gen_corpus.py --count 50 --seed 8 --end 1767225600";
  ASSERT_EQ(Shell(gen + " --out " + dir.File("a.jsonl")), 0);
  ASSERT_EQ(Shell(gen + " --out " + dir.File("b.jsonl")), 0);
  const std::string a = ReadAll(dir.File("a.jsonl"));
  EXPECT_EQ(a, ReadAll(dir.File("b.jsonl")));
  EXPECT_NE(a.find("\"outcome\""), std::string::npos);
  auto imported = testing::RunLessonbook({"import", dir.File("a.jsonl")},
                                         {{"LESSONBOOK_DB", dir.File("bench.db")}});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 50 lessons"), std::string::npos) << imported.out;
}

TEST(BenchScriptsTest, PreSignedSlashCommandsPassTheServersSignatureCheck) {
  testing::TempDir dir;
  const Time now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  {
    std::ofstream q(dir.File("q.txt"));
    q << "subject lines\nwebinar partner\n";
  }
  ASSERT_EQ(Shell("python3 " + kBench + "sign_requests.py --secret s3cret --team T1 --queries " +
                  dir.File("q.txt") + " --out " + dir.File("pool")),
            0);
  std::ifstream pool(dir.File("pool"));
  std::string line;
  int lines = 0;
  while (std::getline(pool, line)) {
    ++lines;
    const size_t t1 = line.find('\t');
    const size_t t2 = line.find('\t', t1 + 1);
    ASSERT_NE(t2, std::string::npos) << line;
    const std::string ts = line.substr(0, t1);
    const std::string sig = line.substr(t1 + 1, t2 - t1 - 1);
    const std::string body = line.substr(t2 + 1);
    EXPECT_TRUE(VerifySlackSignature("s3cret", ts, sig, body, now).ok()) << line;
    EXPECT_FALSE(VerifySlackSignature("other", ts, sig, body, now).ok());
    EXPECT_NE(body.find("command=%2Flessons"), std::string::npos);
  }
  EXPECT_EQ(lines, 2);
}

}  // namespace
}  // namespace lessonbook
