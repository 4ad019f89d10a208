// Evidence between lessons, on both stores: counts by distinct campaign, a change of mind,
// withdrawal, deletion, workspace scope, the week's list, and post-mortem lessons keeping their
// ids (and so their evidence) when they are regenerated.
#include <gtest/gtest.h>

#include "tests/storage/store_fixture.h"

namespace lessonbook {
namespace {

using testing::T;

class EvidenceStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ws_ = AddWorkspace("T1");
    old_ = Add(MakeLesson(ws_, "Free shipping beat a discount"));
  }

  Lesson AddFrom(std::string campaign, std::string title = "Free shipping won again") {
    Lesson l = MakeLesson(ws_, std::move(title));
    l.campaign = std::move(campaign);
    return Add(l);
  }

  Lesson Record(LessonId evidence, std::optional<EvidenceKind> kind, long long at = 5000) {
    auto r = store_->RecordEvidence(ws_, old_.id, evidence, kind, "U1", T(at));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Lesson{};
  }

  Lesson Reload() { return *store_->GetLesson(ws_, old_.id); }

  WorkspaceId ws_ = 0;
  Lesson old_;
};

TEST_P(EvidenceStoreTest, CountsDistinctCampaignsAndLessonsWithoutACampaignCountAlone) {
  Lesson a1 = AddFrom("Spring sale");
  Lesson a2 = AddFrom("spring SALE ");  // the same campaign, another lesson of it
  Lesson b = AddFrom("Holiday promo");
  Lesson loose1 = AddFrom("");
  Lesson loose2 = AddFrom("");
  Record(a1.id, EvidenceKind::kConfirms);
  Record(a2.id, EvidenceKind::kConfirms);
  EXPECT_EQ(Reload().confirmations, 1);
  Record(b.id, EvidenceKind::kConfirms);
  Record(loose1.id, EvidenceKind::kConfirms);
  Lesson now = Record(loose2.id, EvidenceKind::kContradicts);
  EXPECT_EQ(now.confirmations, 3);
  EXPECT_EQ(now.contradictions, 1);
  EXPECT_EQ(Reload().confirmations, 3);
}

TEST_P(EvidenceStoreTest, ChoosingAgainChangesTheChoiceAndNeverDoubleCounts) {
  Lesson e = AddFrom("Spring sale");
  Record(e.id, EvidenceKind::kConfirms);
  Lesson twice = Record(e.id, EvidenceKind::kConfirms);
  EXPECT_EQ(twice.confirmations, 1);
  Lesson changed = Record(e.id, EvidenceKind::kContradicts);
  EXPECT_EQ(changed.confirmations, 0);
  EXPECT_EQ(changed.contradictions, 1);
  Lesson withdrawn = Record(e.id, std::nullopt);
  EXPECT_EQ(withdrawn.confirmations, 0);
  EXPECT_EQ(withdrawn.contradictions, 0);
}

TEST_P(EvidenceStoreTest, DeletingEitherLessonRemovesItsEvidenceAndTheCounts) {
  Lesson e1 = AddFrom("Spring sale");
  Lesson e2 = AddFrom("Holiday promo");
  Record(e1.id, EvidenceKind::kConfirms);
  Record(e2.id, EvidenceKind::kConfirms);
  ASSERT_TRUE(store_->DeleteLesson(ws_, e1.id).ok());
  EXPECT_EQ(Reload().confirmations, 1);
  auto listed = store_->ListEvidenceRecorded(ws_, T(0), T(99999), 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].evidence_lesson_id, e2.id);
  ASSERT_TRUE(store_->DeleteLesson(ws_, old_.id).ok());
  listed = store_->ListEvidenceRecorded(ws_, T(0), T(99999), 10);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_P(EvidenceStoreTest, AnotherWorkspacesIdsAndTheSameIdAreRefused) {
  const WorkspaceId other = AddWorkspace("T2");
  Lesson foreign = Add(MakeLesson(other, "Free shipping elsewhere"));
  auto r = store_->RecordEvidence(ws_, old_.id, foreign.id, EvidenceKind::kConfirms, "U1", T(1));
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  r = store_->RecordEvidence(other, old_.id, foreign.id, EvidenceKind::kConfirms, "U1", T(1));
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  r = store_->RecordEvidence(ws_, old_.id, old_.id, EvidenceKind::kConfirms, "U1", T(1));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  r = store_->RecordEvidence(ws_, 999999, old_.id, EvidenceKind::kConfirms, "U1", T(1));
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Reload().confirmations, 0);
}

TEST_P(EvidenceStoreTest, ListsEvidenceRecordedInTheRangeOnly) {
  Lesson e1 = AddFrom("Spring sale");
  Lesson e2 = AddFrom("Holiday promo");
  Record(e1.id, EvidenceKind::kConfirms, 1000);
  Record(e2.id, EvidenceKind::kContradicts, 2000);
  auto week = store_->ListEvidenceRecorded(ws_, T(1500), T(2500), 10);
  ASSERT_TRUE(week.ok());
  ASSERT_EQ(week->size(), 1u);
  EXPECT_EQ((*week)[0].lesson_id, old_.id);
  EXPECT_EQ((*week)[0].evidence_lesson_id, e2.id);
  EXPECT_EQ((*week)[0].kind, EvidenceKind::kContradicts);
  EXPECT_EQ((*week)[0].campaign, "Holiday promo");
  EXPECT_EQ((*week)[0].recorded_by, "U1");
  const WorkspaceId other = AddWorkspace("T2");
  auto none = store_->ListEvidenceRecorded(other, T(0), T(99999), 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(EvidenceStoreTest, RegeneratedPostmortemLessonsKeepTheirIdsAndEvidence) {
  Lesson first = MakeLesson(ws_, "Free shipping converted best");
  first.campaign = "Spring sale";
  Lesson second = MakeLesson(ws_, "Banner ads flopped");
  auto stored = store_->ReplaceKeyedLessons(
      ws_, "pm:1:U1:", {{first, "pm:1:U1:worked:1"}, {second, "pm:1:U1:flopped:1"}});
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), 2u);
  const LessonId kept_id = (*stored)[0].id;
  const LessonId dropped_id = (*stored)[1].id;
  Record(kept_id, EvidenceKind::kConfirms);
  EXPECT_EQ(Reload().confirmations, 1);

  first.title = "Free shipping converted best, edited";
  auto again = store_->ReplaceKeyedLessons(ws_, "pm:1:U1:", {{first, "pm:1:U1:worked:1"}});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, kept_id);
  EXPECT_EQ((*again)[0].title, "Free shipping converted best, edited");
  EXPECT_EQ(store_->GetLesson(ws_, dropped_id).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Reload().confirmations, 1);
  EXPECT_EQ(*store_->CountLessons(ws_), 2);  // old_ and the kept one
}

TEST_P(EvidenceStoreTest, SortByEvidenceRanksNetConfirmationsThenRelevance) {
  // Relevance alone would put the title match first: "shipping" twice, in the title.
  Lesson strong =
      Add(MakeLesson(ws_, "Shipping shipping: free shipping for loyal customers", "", {"offers"}));
  Lesson proven =
      Add(MakeLesson(ws_, "Customers liked the offer", "free shipping was part of it", {"offers"}));
  Lesson disputed = Add(MakeLesson(ws_, "Shipping fees scared buyers", "", {"offers"}));
  Lesson e1 = AddFrom("Spring sale", "e1");
  Lesson e2 = AddFrom("Holiday promo", "e2");
  Lesson e3 = AddFrom("Black Friday", "e3");
  ASSERT_TRUE(
      store_->RecordEvidence(ws_, proven.id, e1.id, EvidenceKind::kConfirms, "U1", T(9)).ok());
  ASSERT_TRUE(
      store_->RecordEvidence(ws_, proven.id, e2.id, EvidenceKind::kConfirms, "U1", T(9)).ok());
  ASSERT_TRUE(
      store_->RecordEvidence(ws_, disputed.id, e3.id, EvidenceKind::kContradicts, "U1", T(9)).ok());
  ASSERT_TRUE(
      store_->RecordEvidence(ws_, old_.id, e3.id, EvidenceKind::kConfirms, "U1", T(9)).ok());

  LessonQuery q;
  q.workspace_id = ws_;
  q.words = {"shipping"};
  q.limit = 10;
  auto relevance = store_->SearchLessons(q);
  ASSERT_TRUE(relevance.ok());
  ASSERT_GE(relevance->hits.size(), 4u);
  EXPECT_EQ(relevance->hits[0].lesson.id, strong.id);

  q.sort = SearchSort::kEvidence;
  auto by_evidence = store_->SearchLessons(q);
  ASSERT_TRUE(by_evidence.ok());
  std::vector<LessonId> order;
  for (const auto& h : by_evidence->hits) order.push_back(h.lesson.id);
  // Net +2, then net +1 (old_), then net 0, the net -1 last.
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], proven.id);
  EXPECT_EQ(order[1], old_.id);
  EXPECT_EQ(order[2], strong.id);
  EXPECT_EQ(order.back(), disputed.id);

  // Without words (a filter only) evidence still leads.
  LessonQuery tagged;
  tagged.workspace_id = ws_;
  tagged.tags = {"offers"};
  tagged.sort = SearchSort::kEvidence;
  tagged.limit = 10;
  auto listed = store_->SearchLessons(tagged);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->hits.size(), 3u);
  EXPECT_EQ(listed->hits[0].lesson.id, proven.id);
  EXPECT_EQ(listed->hits[2].lesson.id, disputed.id);
}

LESSONBOOK_INSTANTIATE_STORE_TESTS(EvidenceStoreTest);

}  // namespace
}  // namespace lessonbook
