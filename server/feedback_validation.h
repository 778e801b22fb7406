// The rules every feedback entry meets before it is stored, whichever way it
// arrives (RecordFeedback, PlacementHistoryService.Import): an existing
// seeker and vacancy, closed codes, the life cycle's details
// (docs/placements.md). INVALID_ARGUMENT or NOT_FOUND naming the field and
// the rule otherwise.
#ifndef JOBMATCH_SERVER_FEEDBACK_VALIDATION_H_
#define JOBMATCH_SERVER_FEEDBACK_VALIDATION_H_

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "jobmatch/v1/match_service.pb.h"
#include "matcher/match_index.h"

namespace jobmatch {

// Checks `f` against the rules above; `index` tells which seekers and
// vacancies exist. The time is not checked (RecordFeedback sets it).
absl::Status ValidateFeedback(const matcher::MatchIndex& index, const v1::Feedback& f);

// Held while a placement stage is checked against a pair's stored history
// and stored, by every writer of feedback in the process, so that two calls
// on one pair cannot both pass the order check (docs/placements.md, "Order").
absl::Mutex& PlacementOrderMutex();

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_FEEDBACK_VALIDATION_H_
