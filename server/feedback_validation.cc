#include "server/feedback_validation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace jobmatch {

absl::Status ValidateFeedback(const matcher::MatchIndex& index, const v1::Feedback& f) {
  if (!index.GetSeeker(f.seeker_id())) {
    return absl::NotFoundError(absl::StrCat("feedback.seeker_id: seeker ", f.seeker_id(), " not found"));
  }
  if (!index.GetVacancy(f.vacancy_id())) {
    return absl::NotFoundError(absl::StrCat("feedback.vacancy_id: vacancy ", f.vacancy_id(), " not found"));
  }
  if (f.outcome() == v1::FEEDBACK_OUTCOME_UNSPECIFIED || !v1::FeedbackOutcome_IsValid(f.outcome())) {
    return absl::InvalidArgumentError("feedback.outcome: must be set");
  }
  const bool has_reason = f.reason() != v1::REJECTION_REASON_UNSPECIFIED;
  if (!v1::RejectionReason_IsValid(f.reason())) {
    return absl::InvalidArgumentError("feedback.reason: undefined value");
  }
  if ((f.outcome() == v1::REJECTED && !has_reason) ||
      (has_reason && f.outcome() != v1::REJECTED && f.outcome() != v1::NOT_INTERESTED)) {
    return absl::InvalidArgumentError(
        "feedback.reason: required with outcome REJECTED, allowed with NOT_INTERESTED, not "
        "allowed otherwise");
  }
  // The placement life cycle's details (docs/placements.md).
  if (f.outcome() == v1::FOLLOWED_UP) {
    if (f.follow_up_months() != 1 && f.follow_up_months() != 3 && f.follow_up_months() != 6) {
      return absl::InvalidArgumentError(absl::StrCat(
          "feedback.follow_up_months: must be 1, 3 or 6 with outcome FOLLOWED_UP, not ",
          f.follow_up_months()));
    }
  } else if (f.follow_up_months() != 0) {
    return absl::InvalidArgumentError(
        "feedback.follow_up_months: allowed with outcome FOLLOWED_UP only");
  }
  if (!v1::EndOutcome_IsValid(f.end_outcome())) {
    return absl::InvalidArgumentError("feedback.end_outcome: undefined value");
  }
  if ((f.outcome() == v1::ENDED) != (f.end_outcome() != v1::END_OUTCOME_UNSPECIFIED)) {
    return absl::InvalidArgumentError(
        "feedback.end_outcome: required with outcome ENDED, not allowed otherwise");
  }
  // A decision id as DecisionTrace gives it (32 lower-case hex digits):
  // no free text about a citizen fits.
  if (!f.decision_id().empty() &&
      (f.decision_id().size() != 32 ||
       !std::all_of(f.decision_id().begin(), f.decision_id().end(), [](char c) {
         return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
       }))) {
    return absl::InvalidArgumentError(
        "feedback.decision_id: empty or a decision id (32 lower-case hex digits)");
  }
  return absl::OkStatus();
}

absl::Mutex& PlacementOrderMutex() {
  static absl::Mutex* const mu = new absl::Mutex();
  return *mu;
}

}  // namespace jobmatch
