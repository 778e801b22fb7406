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

// The order a placement's stages may be recorded in (docs/placements.md,
// "Order"): each refusal names the field and the rule.
TEST(PlacementLifecycleTest, StagesMustFollowTheirOrder) {
  auto check = [](std::initializer_list<v1::Feedback> history, const v1::Feedback& next) {
    PlacementLifecycle p;
    for (const v1::Feedback& f : history) p.Add(f);
    return CheckPlacementOrder(p, next);
  };
  auto refused = [](const absl::Status& s, const std::string& words) {
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
    EXPECT_NE(s.message().find(words), std::string::npos) << s;
  };
  // Without STARTED: no follow-up, no end.
  refused(check({}, At(5, v1::ENDED, 0, v1::TO_EMPLOYMENT)),
          "feedback.outcome: ENDED requires an earlier STARTED for the pair");
  refused(check({At(1, v1::INTERVIEW), At(2, v1::HIRED)}, At(5, v1::FOLLOWED_UP, 1)),
          "feedback.outcome: FOLLOWED_UP requires an earlier STARTED");
  // STARTED once.
  refused(check({At(1, v1::STARTED)}, At(2, v1::STARTED)),
          "feedback.outcome: STARTED is recorded once per pair");
  // Nothing of the placement after ENDED.
  const v1::Feedback started = At(1, v1::STARTED);
  const v1::Feedback ended = At(9, v1::ENDED, 0, v1::BACK_TO_BENEFITS);
  refused(check({started, ended}, At(10, v1::STARTED)),
          "feedback.outcome: STARTED is not allowed after the placement ENDED");
  refused(check({started, ended}, At(10, v1::FOLLOWED_UP, 6)),
          "feedback.outcome: FOLLOWED_UP is not allowed after the placement ENDED");
  refused(check({started, ended}, At(10, v1::ENDED, 0, v1::TO_EDUCATION)),
          "feedback.outcome: ENDED is not allowed after the placement ENDED");
  // Follow-ups go forward: 1, 3, 6 months, none twice.
  refused(check({started, At(90, v1::FOLLOWED_UP, 3)}, At(91, v1::FOLLOWED_UP, 1)),
          "feedback.follow_up_months: must be later than the pair's last follow-up (3 months), "
          "not 1");
  refused(check({started, At(90, v1::FOLLOWED_UP, 3)}, At(91, v1::FOLLOWED_UP, 3)),
          "feedback.follow_up_months: must be later");
  // What may follow.
  EXPECT_TRUE(check({}, started).ok());
  EXPECT_TRUE(check({At(0, v1::INTERVIEW), At(1, v1::HIRED)}, At(2, v1::STARTED)).ok());
  EXPECT_TRUE(check({started}, At(30, v1::FOLLOWED_UP, 1)).ok());
  EXPECT_TRUE(check({started, At(30, v1::FOLLOWED_UP, 1)}, At(90, v1::FOLLOWED_UP, 6)).ok());
  EXPECT_TRUE(check({started}, At(3, v1::ENDED, 0, v1::TO_EDUCATION)).ok());
  EXPECT_TRUE(check({started, At(30, v1::FOLLOWED_UP, 1)},
                    At(40, v1::ENDED, 0, v1::TO_EMPLOYMENT)).ok());
  // Other outcomes are not placement stages: never refused by the order.
  EXPECT_TRUE(check({started, ended}, At(10, v1::REJECTED)).ok());
  EXPECT_TRUE(check({}, At(10, v1::INTERVIEW)).ok());
}

}  // namespace
}  // namespace jobmatch
