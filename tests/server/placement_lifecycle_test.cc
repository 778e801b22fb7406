// The life cycle of one pair from its feedback history, in any order.
#include "server/placement_lifecycle.h"

#include "gtest/gtest.h"

namespace jobmatch {
namespace {

v1::Feedback At(int64_t day, v1::FeedbackOutcome outcome, int months = 0,
                v1::EndOutcome end = v1::END_OUTCOME_UNSPECIFIED) {
  v1::Feedback f;
  f.set_seeker_id("s");
  f.set_vacancy_id("v");
  f.set_outcome(outcome);
  f.set_follow_up_months(months);
  f.set_end_outcome(end);
  f.set_time_micros(day * 86400LL * 1000000LL + 1);
  return f;
}

TEST(PlacementLifecycleTest, StagesFollowUpsEndAndDaysToStartFromAnyOrder) {
  PlacementLifecycles all;
  // Out of order on purpose.
  all.Add(At(40, v1::FOLLOWED_UP, 1));
  all.Add(At(10, v1::STARTED));
  all.Add(At(2, v1::CONTACTED));
  all.Add(At(5, v1::INTERVIEW));
  all.Add(At(100, v1::ENDED, 0, v1::TO_EMPLOYMENT));
  const PlacementLifecycle& p = all.by_seeker().at("s").at("v");
  EXPECT_EQ(p.stage, v1::ENDED);
  EXPECT_TRUE(p.started);
  EXPECT_TRUE(p.in_work_1_month);
  EXPECT_FALSE(p.in_work_3_months);
  EXPECT_FALSE(p.in_work_6_months);
  EXPECT_EQ(p.end_outcome, v1::TO_EMPLOYMENT);
  EXPECT_DOUBLE_EQ(p.DaysToStart(), 8.0);
}

TEST(PlacementLifecycleTest, NoStartRecordedMeansNoDaysToStart) {
  PlacementLifecycle p;
  p.Add(At(3, v1::SHORTLISTED));
  p.Add(At(4, v1::INTERVIEW));
  EXPECT_FALSE(p.started);
  EXPECT_EQ(p.stage, v1::INTERVIEW);
  EXPECT_LT(p.DaysToStart(), 0);
  // A follow-up without a recorded start still makes it a placement.
  p.Add(At(60, v1::FOLLOWED_UP, 3));
  EXPECT_TRUE(p.started);
  EXPECT_TRUE(p.in_work_3_months);
  EXPECT_LT(p.DaysToStart(), 0);
}

}  // namespace
}  // namespace jobmatch
