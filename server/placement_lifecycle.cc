#include "server/placement_lifecycle.h"

#include "absl/strings/str_cat.h"

namespace jobmatch {

void PlacementLifecycle::Add(const v1::Feedback& f) {
  const int64_t t = f.time_micros();
  if (stage == v1::FEEDBACK_OUTCOME_UNSPECIFIED || t < first_feedback_micros) {
    first_feedback_micros = t;
  }
  // The latest by time is the stage; of two at the same microsecond the
  // later added (as the feedback ledger).
  if (stage == v1::FEEDBACK_OUTCOME_UNSPECIFIED || t >= stage_micros) {
    stage = f.outcome();
    stage_micros = t;
  }
  switch (f.outcome()) {
    case v1::STARTED:
      started = true;
      if (started_micros == 0 || t < started_micros) started_micros = t;
      break;
    case v1::FOLLOWED_UP:
      started = true;
      if (f.follow_up_months() == 1) in_work_1_month = true;
      if (f.follow_up_months() == 3) in_work_3_months = true;
      if (f.follow_up_months() == 6) in_work_6_months = true;
      if (f.follow_up_months() > last_follow_up_months) last_follow_up_months = f.follow_up_months();
      break;
    case v1::ENDED:
      started = true;
      if (end_outcome == v1::END_OUTCOME_UNSPECIFIED || t >= ended_micros) {
        end_outcome = f.end_outcome();
        ended_micros = t;
      }
      break;
    default:
      break;
  }
}

bool IsPlacementStage(v1::FeedbackOutcome outcome) {
  return outcome == v1::STARTED || outcome == v1::FOLLOWED_UP || outcome == v1::ENDED;
}

absl::Status CheckPlacementOrder(const PlacementLifecycle& so_far, const v1::Feedback& next) {
  if (!IsPlacementStage(next.outcome())) return absl::OkStatus();
  const std::string name = v1::FeedbackOutcome_Name(next.outcome());
  const bool ended = so_far.end_outcome != v1::END_OUTCOME_UNSPECIFIED;
  if (ended) {
    return absl::InvalidArgumentError(absl::StrCat(
        "feedback.outcome: ", name,
        " is not allowed after the placement ENDED (a pair's placement ends once; record a new "
        "placement with another vacancy)"));
  }
  if (next.outcome() == v1::STARTED) {
    if (so_far.started_micros != 0) {
      return absl::InvalidArgumentError(
          "feedback.outcome: STARTED is recorded once per pair, and this pair has started");
    }
    return absl::OkStatus();
  }
  if (so_far.started_micros == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("feedback.outcome: ", name, " requires an earlier STARTED for the pair"));
  }
  if (next.outcome() == v1::FOLLOWED_UP && next.follow_up_months() <= so_far.last_follow_up_months) {
    return absl::InvalidArgumentError(absl::StrCat(
        "feedback.follow_up_months: must be later than the pair's last follow-up (",
        so_far.last_follow_up_months, " months), not ", next.follow_up_months()));
  }
  return absl::OkStatus();
}

double PlacementLifecycle::DaysToStart() const {
  if (started_micros == 0) return -1;
  return static_cast<double>(started_micros - first_feedback_micros) / (86400.0 * 1e6);
}

}  // namespace jobmatch
