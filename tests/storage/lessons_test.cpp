// Workspaces and lesson storage: add/get/update/delete, request keys, import, streaming.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

class StoreLessonsTest : public testing::StoreTest {};

using testing::T;

TEST_P(StoreLessonsTest, EnsureWorkspaceCreatesOnceAndKeepsAdminsInOrder) {
  Workspace w;
  w.platform = Platform::kTeams;
  w.external_id = "tenant-1";
  w.name = "Contoso";
  w.timezone = "Europe/Paris";
  w.admins = {"u2", "u1", "u2"};
  w.created_at = T(500);
  Result<Workspace> first = store_->EnsureWorkspace(w);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_NE(first->id, 0);
  EXPECT_EQ(first->admins, (std::vector<std::string>{"u2", "u1"}));
  w.name = "Ignored: it exists";
  Result<Workspace> again = store_->EnsureWorkspace(w);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, first->id);
  EXPECT_EQ(again->name, "Contoso");

  Workspace changed = *first;
  changed.name = "Contoso Ltd";
  changed.bot_token = "v1:k:n:ct";
  changed.admins = {"u3"};
  Result<Workspace> updated = store_->UpdateWorkspace(changed);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "Contoso Ltd");
  EXPECT_EQ(updated->admins, (std::vector<std::string>{"u3"}));
  Result<Workspace> found = store_->FindWorkspace(Platform::kTeams, "tenant-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->bot_token, "v1:k:n:ct");
  EXPECT_EQ(found->timezone, "Europe/Paris");
  EXPECT_EQ(found->created_at, T(500));
  EXPECT_EQ(store_->FindWorkspace(Platform::kSlack, "tenant-1").status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(store_->GetWorkspace(9999).status().code(), Status::Code::kNotFound);
  changed.id = 9999;
  EXPECT_EQ(store_->UpdateWorkspace(changed).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->ListWorkspaces()->size(), 1u);
}

TEST_P(StoreLessonsTest, AddGetUpdateDeleteLesson) {
  const WorkspaceId ws = AddWorkspace("T1");
  Lesson l = MakeLesson(ws, "Short subject lines", "Under 40 characters won.",
                        {"email", "#Testing"}, Outcome::kWorked);
  l.campaign = "Spring launch";
  l.source = LessonSource::kPostmortem;
  l.confirmations = 2;
  Lesson added = Add(l);
  ASSERT_NE(added.id, 0);
  EXPECT_EQ(added.tags, (std::vector<std::string>{"email", "testing"}));

  Result<Lesson> got = store_->GetLesson(ws, added.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "Short subject lines");
  EXPECT_EQ(got->body, "Under 40 characters won.");
  EXPECT_EQ(got->outcome, Outcome::kWorked);
  EXPECT_EQ(got->campaign, "Spring launch");
  EXPECT_EQ(got->author, "U1");
  EXPECT_EQ(got->source, LessonSource::kPostmortem);
  EXPECT_EQ(got->created_at, T(2000));
  EXPECT_EQ(got->confirmations, 2);

  Lesson edit = *got;
  edit.title = "Shorter subject lines";
  edit.tags = {"email"};
  edit.outcome = Outcome::kChange;
  edit.updated_at = T(3000);
  Result<Lesson> updated = store_->UpdateLesson(edit);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->title, "Shorter subject lines");
  EXPECT_EQ(updated->tags, (std::vector<std::string>{"email"}));
  EXPECT_EQ(updated->updated_at, T(3000));
  EXPECT_EQ(updated->created_at, T(2000));

  ASSERT_TRUE(store_->DeleteLesson(ws, added.id).ok());
  EXPECT_EQ(store_->GetLesson(ws, added.id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->DeleteLesson(ws, added.id).code(), Status::Code::kNotFound);
}

TEST_P(StoreLessonsTest, AnotherWorkspacesLessonIdIsNotFound) {
  const WorkspaceId a = AddWorkspace("A");
  const WorkspaceId b = AddWorkspace("B");
  Lesson in_a = Add(MakeLesson(a, "Private to A"));
  EXPECT_EQ(store_->GetLesson(b, in_a.id).status().code(), Status::Code::kNotFound);
  Lesson hijack = in_a;
  hijack.workspace_id = b;
  hijack.title = "Changed by B";
  EXPECT_EQ(store_->UpdateLesson(hijack).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->DeleteLesson(b, in_a.id).code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->GetLesson(a, in_a.id)->title, "Private to A");
}

TEST_P(StoreLessonsTest, AddLessonToAMissingWorkspaceIsNotFound) {
  EXPECT_EQ(store_->AddLesson(MakeLesson(42, "Orphan")).status().code(), Status::Code::kNotFound);
}

TEST_P(StoreLessonsTest, SameRequestKeyTwiceStoresOneLesson) {
  const WorkspaceId ws = AddWorkspace("T1");
  Result<Lesson> first = store_->AddLesson(MakeLesson(ws, "Retried"), "slash:1700000000:abc");
  Result<Lesson> second =
      store_->AddLesson(MakeLesson(ws, "Retried again"), "slash:1700000000:abc");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->id, second->id);
  EXPECT_EQ(second->title, "Retried");
  EXPECT_EQ(*store_->CountLessons(ws), 1);
  // The key is per workspace, and an empty key never dedupes.
  const WorkspaceId other = AddWorkspace("T2");
  EXPECT_TRUE(store_->AddLesson(MakeLesson(other, "Other"), "slash:1700000000:abc").ok());
  Add(MakeLesson(ws, "No key"));
  Add(MakeLesson(ws, "No key"));
  EXPECT_EQ(*store_->CountLessons(ws), 3);
  EXPECT_EQ(*store_->CountLessons(std::nullopt), 4);
}

TEST_P(StoreLessonsTest, ImportTwiceWithTheSameIdsUpdatesInsteadOfDuplicating) {
  const WorkspaceId ws = AddWorkspace("T1");
  std::vector<Lesson> batch = {MakeLesson(ws, "One"), MakeLesson(ws, "Two")};
  batch[0].id = 100;
  batch[1].id = 101;
  Result<ImportCounts> first = store_->ImportLessons(batch);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->updated, 0);
  batch[0].title = "One, revised";
  batch.push_back(MakeLesson(ws, "Three, new id"));
  Result<ImportCounts> second = store_->ImportLessons(batch);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->inserted, 1);
  EXPECT_EQ(second->updated, 2);
  EXPECT_EQ(*store_->CountLessons(ws), 3);
  EXPECT_EQ(store_->GetLesson(ws, 100)->title, "One, revised");
  // Imported ids are kept, and new lessons get ids after them.
  Lesson next = Add(MakeLesson(ws, "After import"));
  EXPECT_GT(next.id, 101);
}

TEST_P(StoreLessonsTest, ImportWithAnotherWorkspacesIdFailsAndWritesNothing) {
  const WorkspaceId a = AddWorkspace("A");
  const WorkspaceId b = AddWorkspace("B");
  Lesson in_a = Add(MakeLesson(a, "A's lesson"));
  std::vector<Lesson> batch = {MakeLesson(b, "New in B"), MakeLesson(b, "Steals A's id")};
  batch[1].id = in_a.id;
  Result<ImportCounts> result = store_->ImportLessons(batch);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(result.status().message().find("another workspace"), std::string::npos);
  EXPECT_EQ(*store_->CountLessons(b), 0);
  EXPECT_EQ(store_->GetLesson(a, in_a.id)->title, "A's lesson");
}

TEST_P(StoreLessonsTest, ForEachLessonStreamsInIdOrderAndStopsOnError) {
  const WorkspaceId a = AddWorkspace("A");
  const WorkspaceId b = AddWorkspace("B");
  std::vector<Lesson> batch;
  for (int i = 0; i < 600; ++i)
    batch.push_back(MakeLesson(i % 3 == 0 ? b : a, "L" + std::to_string(i)));
  ASSERT_TRUE(store_->ImportLessons(batch).ok());
  std::vector<LessonId> ids;
  Status s = store_->ForEachLesson(a, [&](const Lesson& l) {
    EXPECT_EQ(l.workspace_id, a);
    ids.push_back(l.id);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(ids.size(), 400u);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  int all = 0;
  ASSERT_TRUE(store_
                  ->ForEachLesson(std::nullopt,
                                  [&](const Lesson&) {
                                    ++all;
                                    return Status::Ok();
                                  })
                  .ok());
  EXPECT_EQ(all, 600);
  int seen = 0;
  Status stopped = store_->ForEachLesson(std::nullopt, [&](const Lesson&) {
    return ++seen == 5 ? Status::Internal("stop here") : Status::Ok();
  });
  EXPECT_EQ(stopped.message(), "stop here");
  EXPECT_EQ(seen, 5);
}

TEST_P(StoreLessonsTest, ForEachLessonCallbackMayWriteToTheStore) {
  const WorkspaceId ws = AddWorkspace("A");
  Add(MakeLesson(ws, "Original"));
  Status s = store_->ForEachLesson(ws, [&](const Lesson& l) {
    Lesson copy = l;
    copy.updated_at = T(9999);
    return store_->UpdateLesson(copy).status();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_P(StoreLessonsTest, InvalidUtf8IsStoredAsValidUtf8) {
  const WorkspaceId ws = AddWorkspace("A");
  Lesson added = Add(MakeLesson(ws, "bad \xff byte", "line one\nline\x01 two"));
  Result<Lesson> got = store_->GetLesson(ws, added.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "bad \xEF\xBF\xBD byte");
  EXPECT_EQ(got->body, "line one\nline two");
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(StoreLessonsTest);

}  // namespace
}  // namespace lessonbook
