#include "server/placement_lifecycle.h"

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

double PlacementLifecycle::DaysToStart() const {
  if (started_micros == 0) return -1;
  return static_cast<double>(started_micros - first_feedback_micros) / (86400.0 * 1e6);
}

}  // namespace jobmatch
