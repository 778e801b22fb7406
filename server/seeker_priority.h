// A consultant's explicit priority on a vacancy's list
// (TopSeekersRequest.priority): validation, and the list it gives — the
// feasible candidates as the index ranks them, filtered and re-ordered by
// target group and unemployment duration (matcher/priority_order.h). Also
// the nightly report's rows by the same keys.
#ifndef JOBMATCH_SERVER_SEEKER_PRIORITY_H_
#define JOBMATCH_SERVER_SEEKER_PRIORITY_H_

#include <vector>

#include "absl/status/statusor.h"
#include "jobmatch/v1/match_service.pb.h"
#include "jobmatch/v1/rematch_service.pb.h"
#include "matcher/match_index.h"
#include "matcher/priority_order.h"
#include "matcher/schemes.h"
#include "server/record_keeper.h"

namespace jobmatch {

// InvalidArgument naming the field ("priority.target_groups[1]", ...) and
// the rule.
absl::StatusOr<matcher::PriorityRequest> ToPriorityRequest(const v1::SeekerPriority& priority,
                                                           const matcher::Schemes& schemes);

// The page `query` asks for of the vacancy's feasible candidates (at most
// 1000 by score, with the query's filters) as `priority` filters and orders
// them; `keys` gets each returned match's keys. `feasible` counts the
// candidates that pass the priority's filters.
absl::StatusOr<matcher::MatchResult> PrioritizedSeekers(const matcher::MatchIndex& index,
                                                        const RecordKeeper& keeper,
                                                        const std::string& vacancy_id,
                                                        const matcher::MatchQuery& query,
                                                        const matcher::PriorityRequest& priority,
                                                        std::vector<v1::PriorityKeys>* keys);

// The report's rows by target group and unemployment band, for the seekers
// of a finished run (their target group and unemployment date as stored now;
// erased seekers are left out).
void AddPrioritySection(const RecordKeeper& keeper, const matcher::BulkTopKResult& result,
                        absl::Time now, v1::RematchReport* report);

}  // namespace jobmatch

#endif  // JOBMATCH_SERVER_SEEKER_PRIORITY_H_
