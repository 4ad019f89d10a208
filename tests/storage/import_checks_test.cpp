// The checks both stores' ImportData make around a copy (storage/import_checks.h).
#include "storage/import_checks.h"

#include <gtest/gtest.h>

#include <map>

namespace lessonbook {
namespace {

RowCounter CountsFrom(const std::map<std::string, std::int64_t>& rows) {
  return [rows](const std::string& table) { return rows.at(table); };
}

TEST(ImportChecksTest, AnEmptyTargetPasses) {
  EXPECT_TRUE(CheckImportTargetEmpty(std::vector<std::string>{"lessons", "campaigns"},
                                     CountsFrom({{"lessons", 0}, {"campaigns", 0}}), "x")
                  .ok());
}

TEST(ImportChecksTest, AFilledTargetNamesEveryTableWithRowsAndHowToGetAnEmptyOne) {
  std::map<std::string, int> tables{{"campaigns", 0}, {"lessons", 0}, {"workspaces", 0}};
  Status s = CheckImportTargetEmpty(
      tables, CountsFrom({{"campaigns", 0}, {"lessons", 3}, {"workspaces", 1}}), "createdb NAME");
  EXPECT_EQ(s.code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(s.message(),
            "the target database is not empty: lessons (3 rows), workspaces (1 row); copy into "
            "a new, empty database (createdb NAME); nothing was written");
}

TEST(ImportChecksTest, RowsAsAnnouncedGiveTheReportInCopyOrder) {
  AnnouncedRows announced{{"lessons", {5, 9}}, {"workspaces", {1, 1}}};
  auto report = VerifyImportedRows({"workspaces", "lessons"}, announced,
                                   CountsFrom({{"lessons", 5}, {"workspaces", 1}}));
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->rows_by_table.size(), 2u);
  EXPECT_EQ(report->rows_by_table[0], (std::pair<std::string, std::int64_t>{"workspaces", 1}));
  EXPECT_EQ(report->rows_by_table[1], (std::pair<std::string, std::int64_t>{"lessons", 5}));
}

TEST(ImportChecksTest, ATableHoldingOtherThanItsAnnouncedRowsFailsTheCopy) {
  AnnouncedRows announced{{"lessons", {5, 9}}};
  auto report = VerifyImportedRows({"lessons"}, announced, CountsFrom({{"lessons", 4}}));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInternal);
  EXPECT_EQ(report.status().message(), "table lessons holds 4 rows after the copy instead of 5");
}

}  // namespace
}  // namespace lessonbook
