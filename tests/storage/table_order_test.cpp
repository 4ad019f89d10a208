// ParentsFirst and SendOrder (storage/table_order.h): the order tables are copied in between
// stores — a table after the tables it references, ties by name, the sink's order first.
#include "storage/table_order.h"

#include <gtest/gtest.h>

namespace lessonbook {
namespace {

using Names = std::vector<std::string>;

TEST(TableOrderTest, EveryTableComesAfterTheTablesItReferences) {
  const std::map<std::string, std::set<std::string>> parents = {
      {"answers", {"postmortems"}},
      {"campaigns", {"workspaces"}},
      {"inbox", {}},
      {"lessons", {"workspaces"}},
      {"postmortems", {"campaigns", "workspaces"}},
      {"workspaces", {}},
  };
  EXPECT_EQ(ParentsFirst(parents),
            (Names{"inbox", "workspaces", "campaigns", "lessons", "postmortems", "answers"}));
}

TEST(TableOrderTest, SelfReferencesAndUnknownParentsDoNotHoldATableBack) {
  EXPECT_EQ(ParentsFirst({{"a", {"a", "elsewhere"}}, {"b", {"a"}}}), (Names{"a", "b"}));
}

TEST(TableOrderTest, AReferenceCycleEndsInNameOrder) {
  EXPECT_EQ(ParentsFirst({{"x", {"y"}}, {"y", {"x"}}, {"a", {}}}), (Names{"a", "x", "y"}));
}

TEST(TableOrderTest, TheSinksOrderComesFirstThenTheSourcesOtherTables) {
  EXPECT_EQ(
      SendOrder({"workspaces", "lessons", "only_in_sink"}, {"lessons", "extra", "workspaces"}),
      (Names{"workspaces", "lessons", "extra"}));
  EXPECT_EQ(SendOrder({}, {"b", "a"}), (Names{"b", "a"}));
}

}  // namespace
}  // namespace lessonbook
