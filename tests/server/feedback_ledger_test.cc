// FeedbackLedger: the latest outcome per pair whatever order feedback arrives
// in, hires per vacancy, a seeker's erasure, and loading what storage holds.
#include "server/feedback_ledger.h"

#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "storage/feedback_store.h"
#include "tests/storage/temp_dir.h"

namespace jobmatch {
namespace {

v1::Feedback Made(const std::string& seeker, const std::string& vacancy,
                  v1::FeedbackOutcome outcome, int64_t time) {
  v1::Feedback f;
  f.set_seeker_id(seeker);
  f.set_vacancy_id(vacancy);
  f.set_outcome(outcome);
  f.set_time_micros(time);
  return f;
}

TEST(FeedbackLedgerTest, LatestOutcomeWinsInAnyOrderAndHiresFollowIt) {
  FeedbackLedger ledger;
  ledger.Apply(Made("s", "v", v1::HIRED, 20));
  ledger.Apply(Made("s", "v", v1::SHORTLISTED, 10));  // older: ignored
  EXPECT_EQ(ledger.Outcome("s", "v"), v1::HIRED);
  EXPECT_EQ(ledger.Hires("v"), 1);
  ledger.Apply(Made("t", "v", v1::HIRED, 5));
  EXPECT_EQ(ledger.Hires("v"), 2);
  ledger.Apply(Made("s", "v", v1::REJECTED, 30));  // the hire is withdrawn
  EXPECT_EQ(ledger.Hires("v"), 1);
  EXPECT_TRUE(FeedbackLedger::ClosesPair(ledger.Outcome("s", "v")));
  EXPECT_FALSE(FeedbackLedger::ClosesPair(v1::CONTACTED));
  EXPECT_EQ(ledger.Outcome("s", "w"), v1::FEEDBACK_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(FeedbackLedger::OpeningsLeft(1, 2), 0);
  EXPECT_EQ(FeedbackLedger::OpeningsLeft(3, 1), 2);

  const FeedbackLedger::View view = ledger.Snapshot();
  EXPECT_EQ(view.Outcome("s", "v"), v1::REJECTED);
  EXPECT_EQ(view.Hires("v"), 1);
  ledger.ForgetSeeker("t");
  EXPECT_EQ(ledger.Hires("v"), 0);
  EXPECT_EQ(ledger.Outcome("t", "v"), v1::FEEDBACK_OUTCOME_UNSPECIFIED);
  EXPECT_EQ(view.Hires("v"), 1) << "a snapshot is a copy";
}

TEST(FeedbackLedgerTest, APlacementUsesOneOpeningThroughItsLifeCycle) {
  FeedbackLedger ledger;
  ledger.Apply(Made("s", "v", v1::INTERVIEW, 1));
  EXPECT_EQ(ledger.Hires("v"), 0);
  EXPECT_FALSE(FeedbackLedger::ClosesPair(v1::INTERVIEW));
  ledger.Apply(Made("s", "v", v1::HIRED, 2));
  ledger.Apply(Made("s", "v", v1::STARTED, 3));
  EXPECT_EQ(ledger.Hires("v"), 1) << "HIRED then STARTED is one opening";
  ledger.Apply(Made("s", "v", v1::FOLLOWED_UP, 4));
  ledger.Apply(Made("s", "v", v1::ENDED, 5));
  EXPECT_EQ(ledger.Hires("v"), 1) << "an ended placement still filled the opening";
  EXPECT_TRUE(FeedbackLedger::ClosesPair(ledger.Outcome("s", "v")));
  ledger.Apply(Made("t", "v", v1::STARTED, 6));
  EXPECT_EQ(ledger.Hires("v"), 2);
  ledger.ForgetSeeker("s");
  EXPECT_EQ(ledger.Hires("v"), 1);
}

TEST(FeedbackLedgerTest, LoadReadsWhatStorageHolds) {
  testing::TempDir dir;
  auto store = storage::Store::Open(storage::StoreOptions{dir.path() + "/db"});
  ASSERT_TRUE(store.ok()) << store.status();
  // Feedback is stored only on stored seekers.
  for (const char* id : {"s", "t", "u"}) {
    ASSERT_TRUE((*store)->Put(storage::RecordKind::kSeeker, {id, "seeker", std::nullopt},
                              absl::Now()).ok());
  }
  ASSERT_TRUE((*store)->feedback().Put(Made("s", "v", v1::HIRED, 1)).ok());
  ASSERT_TRUE((*store)->feedback().Put(Made("s", "v", v1::NOT_INTERESTED, 2)).ok());
  ASSERT_TRUE((*store)->feedback().Put(Made("t", "v", v1::HIRED, 1)).ok());
  FeedbackLedger ledger;
  ASSERT_TRUE(ledger.Load(**store).ok());
  EXPECT_EQ(ledger.Outcome("s", "v"), v1::NOT_INTERESTED);
  EXPECT_EQ(ledger.Hires("v"), 1);
  ASSERT_TRUE((*store)->feedback().CorruptForTest(Made("u", "v", v1::HIRED, 1)).ok());
  EXPECT_EQ(ledger.Load(**store).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace jobmatch
