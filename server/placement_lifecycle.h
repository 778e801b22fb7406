// PlacementLifecycle: where one (seeker, vacancy) pair stands in the
// placement life cycle, derived from the pair's feedback history only
// (docs/placements.md):
//   proposed -> SHORTLISTED / CONTACTED -> INTERVIEW -> HIRED -> STARTED
//   -> FOLLOWED_UP (1, 3, 6 months) -> ENDED (to employment, to education,
//   back to benefits)
// Nothing is stored besides the feedback itself, which lives under the
// seeker's key prefix: erasing the seeker erases the life cycle.
#ifndef JOBMATCH_SERVER_PLACEMENT_LIFECYCLE_H_
#define JOBMATCH_SERVER_PLACEMENT_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "jobmatch/v1/match_service.pb.h"

namespace jobmatch {

struct PlacementLifecycle {
  // The latest outcome recorded for the pair (its stage).
  v1::FeedbackOutcome stage = v1::FEEDBACK_OUTCOME_UNSPECIFIED;
  int64_t stage_micros = 0;
  // The pair's first feedback of any kind.
  int64_t first_feedback_micros = 0;
  // The first STARTED (0: none recorded).
  int64_t started_micros = 0;
  // A STARTED, FOLLOWED_UP or ENDED was recorded: the placement began.
  bool started = false;
  // FOLLOWED_UP seen at 1, 3 and 6 months: still in work then.
  bool in_work_1_month = false;
  bool in_work_3_months = false;
  bool in_work_6_months = false;
  // The latest follow-up's months (0: none).
  int last_follow_up_months = 0;
  // The latest ENDED's outcome (END_OUTCOME_UNSPECIFIED: not ended).
  v1::EndOutcome end_outcome = v1::END_OUTCOME_UNSPECIFIED;
  int64_t ended_micros = 0;

  // Takes in one feedback entry of the pair, in any order.
  void Add(const v1::Feedback& feedback);
  // Days from the first feedback to the recorded start; negative if no
  // STARTED was recorded.
  double DaysToStart() const;
};

// True for STARTED, FOLLOWED_UP and ENDED: the stages whose order is
// enforced when feedback is recorded.
bool IsPlacementStage(v1::FeedbackOutcome outcome);

// Whether `next` may be recorded after the pair's history `so_far`
// (docs/placements.md, "Order"): STARTED once and never after ENDED;
// FOLLOWED_UP only after STARTED, before ENDED, with more months than the
// last follow-up; ENDED once, after STARTED. Other outcomes always may.
// INVALID_ARGUMENT naming the field and the rule otherwise.
absl::Status CheckPlacementOrder(const PlacementLifecycle& so_far, const v1::Feedback& next);

// The life cycles of every pair in a stream of feedback, by seeker then
// vacancy.
class PlacementLifecycles {
 public:
  void Add(const v1::Feedback& feedback) {
    pairs_[feedback.seeker_id()][feedback.vacancy_id()].Add(feedback);
  }
  const absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, PlacementLifecycle>>&
  by_seeker() const {
    return pairs_;
  }

 private:
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, PlacementLifecycle>> pairs_;
};

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_PLACEMENT_LIFECYCLE_H_
